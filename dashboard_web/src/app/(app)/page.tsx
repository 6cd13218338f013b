import type { Metadata } from "next";

export const metadata: Metadata = { title: "Get started" };

export default function OverviewPage() {
  return <h1 className="text-2xl font-semibold">Get started</h1>;
}
