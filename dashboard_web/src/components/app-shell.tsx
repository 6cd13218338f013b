"use client";

import { LogOut, Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { isActive, NAV_ITEMS } from "@/components/nav-items";
import { LoadingState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useAuth } from "@/stores/auth";

/** The signed-in frame: navigation (a drawer below 1024 px) and the page. Signed-out
 * visitors are sent to sign-in with `next` set so they come back here. */
export function AppShell({ children }: { children: ReactNode }) {
  const { status, me, restore, signOut } = useAuth();
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    if (status === "signed-out") {
      const next = encodeURIComponent(window.location.pathname.replace(/^\/app/, "") + window.location.search);
      router.replace(`/sign-in/?next=${next}`);
    }
  }, [status, router]);

  if (status !== "signed-in") {
    return (
      <main className="mx-auto max-w-3xl p-8">
        <LoadingState label="Checking your session…" />
      </main>
    );
  }

  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2">
        Skip to content
      </a>
      <header className="flex items-center justify-between border-b px-4 py-3 lg:hidden">
        <span className="font-semibold">Shopbot</span>
        <Button variant="ghost" size="icon" aria-label={open ? "Close menu" : "Open menu"} aria-expanded={open} aria-controls="app-nav" onClick={() => setOpen(!open)}>
          {open ? <X /> : <Menu />}
        </Button>
      </header>
      <nav
        id="app-nav"
        aria-label="Dashboard"
        className={cn("border-r bg-muted/40 p-3 lg:block lg:min-h-screen", open ? "block" : "hidden")}
      >
        <p className="mb-3 hidden px-2 text-lg font-semibold lg:block">Shopbot</p>
        <ul className="space-y-1">
          {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
            const active = isActive(pathname, href);
            return (
              <li key={href}>
                <Link
                  href={href}
                  aria-current={active ? "page" : undefined}
                  onClick={() => setOpen(false)}
                  className={cn(
                    "flex items-center gap-2 rounded-md px-2 py-2 text-sm",
                    active ? "bg-primary text-primary-foreground" : "hover:bg-accent",
                  )}
                >
                  <Icon className="size-4" aria-hidden="true" />
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="mt-6 border-t pt-3 text-sm">
          <p className="truncate px-2 text-muted-foreground" title={me?.email ?? undefined}>
            {me?.email}
          </p>
          <p className="px-2 text-muted-foreground">Role: {me?.role}</p>
          <Button variant="ghost" className="mt-1 w-full justify-start" onClick={() => void signOut()}>
            <LogOut aria-hidden="true" /> Sign out
          </Button>
        </div>
      </nav>
      <main id="main" className="min-w-0 p-4 sm:p-6 lg:p-8">
        {children}
      </main>
    </div>
  );
}
