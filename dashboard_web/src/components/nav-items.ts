import {
  BarChart3,
  BookOpen,
  Bot,
  Building2,
  Code2,
  CreditCard,
  KeyRound,
  LayoutDashboard,
  MessagesSquare,
  ScrollText,
  Store,
  Users,
  type LucideIcon,
} from "lucide-react";

export type NavItem = { href: string; label: string; icon: LucideIcon };

/** The dashboard's sections, in the order of the onboarding flow, then the account. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Get started", icon: LayoutDashboard },
  { href: "/profile/", label: "Business profile", icon: Building2 },
  { href: "/stores/", label: "Stores", icon: Store },
  { href: "/bots/", label: "Bots", icon: Bot },
  { href: "/install/", label: "Install", icon: Code2 },
  { href: "/knowledge/", label: "Knowledge", icon: BookOpen },
  { href: "/conversations/", label: "Conversations", icon: MessagesSquare },
  { href: "/analytics/", label: "Analytics", icon: BarChart3 },
  { href: "/billing/", label: "Billing", icon: CreditCard },
  { href: "/team/", label: "Team", icon: Users },
  { href: "/api-keys/", label: "API keys", icon: KeyRound },
  { href: "/audit-log/", label: "Audit log", icon: ScrollText },
];

export function isActive(pathname: string, href: string): boolean {
  const normalised = pathname.endsWith("/") ? pathname : `${pathname}/`;
  return href === "/" ? normalised === "/" : normalised.startsWith(href);
}
