import type { Metadata } from "next";
import { InstallView } from "./install-view";

export const metadata: Metadata = { title: "Install" };

export default function InstallPage() {
  return <InstallView />;
}
