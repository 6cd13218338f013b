// Apart from shopper-data.tsx so the conversations list does not load the delete dialog.

/** Where the conversations list says the shopper's data is gone. */
export const AFTER_DELETE_HREF = "/conversations/?deleted=shopper";

/** The conversations list's word that a deletion went through (the list is already without them). */
export function DeletedNotice({ deleted }: { deleted: string | null }) {
  if (deleted !== "shopper") return null;
  return <p className="text-sm font-medium">The shopper&apos;s data was deleted: their conversations, ratings and events are gone.</p>;
}
