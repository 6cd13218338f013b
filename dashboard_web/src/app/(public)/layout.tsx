import type { ReactNode } from "react";

/** Signed-out pages: one centred card, rendered to HTML at build time so it shows before
 * any JavaScript runs. */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <div className="w-full max-w-md">
        <p className="mb-4 text-center text-xl font-semibold">Shopbot</p>
        {children}
      </div>
    </main>
  );
}
