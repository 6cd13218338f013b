// The "Get started" checklist, computed from live data only (nothing is stored about
// onboarding, so a step the merchant undoes shows as not done again).
import type { components } from "@/api/schema";

type Business = components["schemas"]["BusinessOut"];
type Store = components["schemas"]["StoreOut"];
type Bot = components["schemas"]["BotOut"];
type Conversation = components["schemas"]["ConversationSummary"];

export type ChecklistInput = {
  emailVerified: boolean;
  business: Business | undefined;
  stores: Store[] | undefined;
  bots: Bot[] | undefined;
  /** Non-preview conversations (the list endpoint leaves previews out by default). */
  conversations: Conversation[] | undefined;
};

export type ChecklistItem = { id: string; label: string; href: string; done: boolean; hint: string };

/** What the bot needs to answer shoppers' questions about the shop: where it is, how to
 * reach a person, and the two policies shoppers ask about most. */
export function businessProfileComplete(business: Business | undefined): boolean {
  if (!business) return false;
  const filled = (value: string | null | undefined) => Boolean(value && value.trim());
  return (
    filled(business.website) &&
    (filled(business.support_email) || filled(business.support_phone)) &&
    filled(business.shipping_policy) &&
    filled(business.returns_policy)
  );
}

/** A bot counts as configured once it was saved after its creation: registration creates a
 * default bot, and any edit (persona, greeting, store, models) moves `updated_at`. */
export function botConfigured(bot: Bot): boolean {
  return Date.parse(bot.updated_at) > Date.parse(bot.created_at) || bot.store_id !== null;
}

export function buildChecklist(input: ChecklistInput): ChecklistItem[] {
  const stores = input.stores ?? [];
  const conversations = input.conversations ?? [];
  const hasRealConversation = conversations.some((conversation) => !conversation.is_preview);
  return [
    {
      id: "verify",
      label: "Verify your email",
      href: "/",
      done: input.emailVerified,
      hint: "Open the link we emailed you; it keeps your account recoverable.",
    },
    {
      id: "profile",
      label: "Complete your business profile",
      href: "/profile/",
      done: businessProfileComplete(input.business),
      hint: "Website, a support contact, and your shipping and returns policies.",
    },
    {
      id: "store",
      label: "Connect your WooCommerce store",
      href: "/stores/",
      done: stores.length > 0,
      hint: "Shopbot reads your products from the store.",
    },
    {
      id: "sync",
      label: "Sync your catalogue",
      href: "/stores/",
      done: stores.some((store) => store.last_synced_at !== null || store.product_count > 0),
      hint: "The bot answers from the products it has indexed.",
    },
    {
      id: "bot",
      label: "Configure your bot",
      href: "/bots/",
      done: (input.bots ?? []).some(botConfigured),
      hint: "Give it a greeting, a tone and the store it sells from.",
    },
    {
      // The API cannot see the snippet on the shop's pages; the first shopper conversation
      // proves the widget runs there, and a bot with allowed origins shows the merchant set
      // it up for their domain (the install page asks for it).
      id: "install",
      label: "Install the widget on your store",
      href: "/install/",
      done: hasRealConversation || (input.bots ?? []).some((bot) => bot.allowed_origins.length > 0),
      hint: "Paste one script tag into your theme.",
    },
    {
      id: "conversation",
      label: "See your first conversation",
      href: "/conversations/",
      done: hasRealConversation,
      hint: "Dashboard previews do not count: a shopper has to chat on your store.",
    },
  ];
}

export function progressText(items: ChecklistItem[]): string {
  return `${items.filter((item) => item.done).length} of ${items.length} done`;
}
