"""`/v1/auth/...`: public endpoints (they are how a caller gets credentials) except
`me` and `resend-verification`, which need a signed-in user. `session/refresh` and
`session/logout` are the only routes that read a cookie (auth.browser_sessions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Request, Response, status

from core.errors import BadRequest, Unauthorized
from dashboard_api.auth.account_flows import AccountFlows
from dashboard_api.auth.browser_sessions import (
    CSRF_HEADER,
    REFRESH_COOKIE,
    SESSION_PER_IP,
    SessionCookies,
)
from dashboard_api.auth.context import MerchantRead
from dashboard_api.auth.schemas import (
    Accepted,
    EmailVerified,
    LoginRequest,
    MeResponse,
    PasswordResetRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    ResetPasswordRequest,
    SessionMode,
    TokenRequest,
    TokenResponse,
)
from dashboard_api.auth.sign_in_flows import IssuedTokens, SignInFlows
from dashboard_api.dependencies import RuntimeDep
from web.client import ClientDep, address_identity
from web.errors import app_error_response

router = APIRouter(prefix="/auth", tags=["auth"])


def sign_in_flows(runtime: RuntimeDep) -> SignInFlows:
    return SignInFlows(runtime.db, runtime)


def account_flows(runtime: RuntimeDep) -> AccountFlows:
    return AccountFlows(runtime.db, runtime, link_base=runtime.link_base)


SignInDep = Annotated[SignInFlows, Depends(sign_in_flows)]
AccountsDep = Annotated[AccountFlows, Depends(account_flows)]


def session_cookies(runtime: RuntimeDep) -> SessionCookies:
    return SessionCookies(runtime.deps.signing_key, runtime.public_api_url)


CookiesDep = Annotated[SessionCookies, Depends(session_cookies)]
RefreshCookie = Annotated[
    str | None,
    Cookie(
        alias=REFRESH_COOKIE,
        max_length=512,
        description="Set by `login` / `register` with `session: cookie` (HttpOnly).",
    ),
]
CsrfHeader = Annotated[
    str | None,
    Header(
        alias=CSRF_HEADER,
        max_length=512,
        description="The value of the `shopbot_csrf` cookie.",
    ),
]


def _token_body(tokens: IssuedTokens) -> TokenResponse:
    # The issued tokens carry the response's fields under the same names.
    return TokenResponse.model_validate(tokens, from_attributes=True)


def _deliver(
    tokens: IssuedTokens, mode: SessionMode, cookies: SessionCookies, response: Response
) -> TokenResponse:
    """Token mode: the refresh token in the body. Cookie mode: in the HttpOnly cookie only."""
    body = _token_body(tokens)
    if mode == "cookie":
        cookies.set(response, tokens.refresh_token)
        body.refresh_token = None
    return body


@router.post("/register", status_code=status.HTTP_201_CREATED, operation_id="auth_register")
async def register(
    body: RegisterRequest,
    accounts: AccountsDep,
    client: ClientDep,
    cookies: CookiesDep,
    response: Response,
) -> RegisterResponse:
    """Public. A new user, their business (with a default bot) and their owner membership;
    signed in as with `login` (`session` chooses where the refresh token goes)."""
    registered = await accounts.register(
        email=body.email, password=body.password, business_name=body.business_name, client=client
    )
    return RegisterResponse(
        **_deliver(registered.tokens, body.session, cookies, response).model_dump(),
        bot_id=registered.bot_id,
        email=registered.email,
    )


@router.post("/login", operation_id="auth_login")
async def login(
    body: LoginRequest,
    sign_in: SignInDep,
    client: ClientDep,
    cookies: CookiesDep,
    response: Response,
) -> TokenResponse:
    """Public. Throttled per email and per client address (429 with `Retry-After`).
    `session: cookie` (the web app) puts the refresh token in the HttpOnly `shopbot_refresh`
    cookie and a CSRF token in `shopbot_csrf`; the body's `refresh_token` is then null."""
    tokens = await sign_in.login(
        email=body.email, password=body.password, tenant_id=body.tenant_id, client=client
    )
    return _deliver(tokens, body.session, cookies, response)


@router.post("/refresh", operation_id="auth_refresh")
async def refresh(body: RefreshRequest, sign_in: SignInDep, client: ClientDep) -> TokenResponse:
    """Public. Exchanges a refresh token for a new pair; presenting an already used refresh
    token revokes every token of its sign-in (401 `refresh_token_reused`)."""
    return _token_body(await sign_in.refresh(body.refresh_token, client))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, operation_id="auth_logout")
async def logout(body: RefreshRequest, sign_in: SignInDep) -> Response:
    """Public (the refresh token is the credential). Revokes the sign-in's token family."""
    await sign_in.logout(body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/session/refresh", operation_id="auth_session_refresh", response_model=TokenResponse)
async def session_refresh(
    request: Request,
    response: Response,
    sign_in: SignInDep,
    client: ClientDep,
    runtime: RuntimeDep,
    cookies: CookiesDep,
    refresh_cookie: RefreshCookie = None,
    csrf: CsrfHeader = None,
) -> Response | TokenResponse:
    """Public (the cookie is the credential, with the `X-CSRF-Token` header). Rotates the
    sign-in like `refresh`: new cookies, a new access token, `refresh_token` null. A refused
    cookie (expired, revoked, already used: the family is then revoked) is cleared."""
    await runtime.throttle.hit("session_ip", address_identity(client.ip), SESSION_PER_IP)
    token = cookies.checked_refresh_token(refresh_cookie, csrf, request.headers.get("origin"))
    try:
        tokens = await sign_in.refresh(token, client)
    except Unauthorized as refused:
        problem = app_error_response(refused, request.url.path)
        cookies.clear(problem)
        return problem
    return _deliver(tokens, "cookie", cookies, response)


@router.post(
    "/session/logout", status_code=status.HTTP_204_NO_CONTENT, operation_id="auth_session_logout"
)
async def session_logout(
    request: Request,
    sign_in: SignInDep,
    client: ClientDep,
    runtime: RuntimeDep,
    cookies: CookiesDep,
    refresh_cookie: RefreshCookie = None,
    csrf: CsrfHeader = None,
) -> Response:
    """Public (the cookie is the credential, with the `X-CSRF-Token` header). Revokes the
    sign-in's token family and clears both cookies."""
    await runtime.throttle.hit("session_ip", address_identity(client.ip), SESSION_PER_IP)
    token = cookies.checked_refresh_token(refresh_cookie, csrf, request.headers.get("origin"))
    await sign_in.logout(token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    cookies.clear(response)
    return response


@router.post("/verify-email", operation_id="auth_verify_email")
async def verify_email(body: TokenRequest, accounts: AccountsDep) -> EmailVerified:
    """Public (the emailed token is the credential)."""
    await accounts.verify_email(body.token)
    return EmailVerified(email_verified=True)


@router.post(
    "/resend-verification",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="auth_resend_verification",
)
async def resend_verification(context: MerchantRead, accounts: AccountsDep) -> Accepted:
    if context.user_id is None:
        raise BadRequest("API keys have no email address to verify.")
    await accounts.resend_verification(context.user_id)
    return Accepted(detail="If the address is not verified yet, a new link is on its way.")


@router.post(
    "/request-password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="auth_request_password_reset",
)
async def request_password_reset(
    body: PasswordResetRequest, accounts: AccountsDep, client: ClientDep
) -> Accepted:
    """Public. The same answer whether or not the email is registered."""
    await accounts.request_password_reset(body.email, client)
    return Accepted(detail="If an account exists for this email, a reset link is on its way.")


@router.post(
    "/reset-password", status_code=status.HTTP_204_NO_CONTENT, operation_id="auth_reset_password"
)
async def reset_password(
    body: ResetPasswordRequest, accounts: AccountsDep, client: ClientDep
) -> Response:
    """Public (the emailed token is the credential). Signs out every session of the user."""
    await accounts.reset_password(body.token, body.password, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", operation_id="auth_me")
async def me(context: MerchantRead, accounts: AccountsDep) -> MeResponse:
    """Who the credential belongs to, its business and role, and every membership."""
    return await accounts.me(context)
