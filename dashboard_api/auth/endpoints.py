"""`/v1/auth/...`: public endpoints (they are how a caller gets credentials) except
`me` and `resend-verification`, which need a signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from core.errors import BadRequest
from dashboard_api.auth.account_flows import AccountFlows
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
    TokenRequest,
    TokenResponse,
)
from dashboard_api.auth.sign_in_flows import IssuedTokens, SignInFlows
from dashboard_api.dependencies import RuntimeDep
from web.client import ClientDep

router = APIRouter(prefix="/auth", tags=["auth"])


def sign_in_flows(runtime: RuntimeDep) -> SignInFlows:
    return SignInFlows(runtime.db, runtime)


def account_flows(runtime: RuntimeDep) -> AccountFlows:
    return AccountFlows(runtime.db, runtime, link_base=runtime.link_base)


SignInDep = Annotated[SignInFlows, Depends(sign_in_flows)]
AccountsDep = Annotated[AccountFlows, Depends(account_flows)]


def _token_body(tokens: IssuedTokens) -> TokenResponse:
    # The issued tokens carry the response's fields under the same names.
    return TokenResponse.model_validate(tokens, from_attributes=True)


@router.post("/register", status_code=status.HTTP_201_CREATED, operation_id="auth_register")
async def register(
    body: RegisterRequest, accounts: AccountsDep, client: ClientDep
) -> RegisterResponse:
    """Public. A new user, their business (with a default bot) and their owner membership."""
    registered = await accounts.register(
        email=body.email, password=body.password, business_name=body.business_name, client=client
    )
    return RegisterResponse(
        **_token_body(registered.tokens).model_dump(),
        bot_id=registered.bot_id,
        email=registered.email,
    )


@router.post("/login", operation_id="auth_login")
async def login(body: LoginRequest, sign_in: SignInDep, client: ClientDep) -> TokenResponse:
    """Public. Throttled per email and per client address (429 with `Retry-After`)."""
    tokens = await sign_in.login(
        email=body.email, password=body.password, tenant_id=body.tenant_id, client=client
    )
    return _token_body(tokens)


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
