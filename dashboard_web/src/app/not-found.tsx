import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-muted-foreground">This page does not exist in the dashboard.</p>
      <Link href="/" className="mt-4 inline-block text-primary underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
