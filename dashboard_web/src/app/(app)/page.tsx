import type { Metadata } from "next";
import { Overview } from "./_overview/overview";

export const metadata: Metadata = { title: "Get started" };

export default function OverviewPage() {
  return <Overview />;
}
