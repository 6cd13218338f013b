import type { Metadata } from "next";
import { BusinessProfile } from "./business-profile";

export const metadata: Metadata = { title: "Business profile" };

export default function ProfilePage() {
  return <BusinessProfile />;
}
