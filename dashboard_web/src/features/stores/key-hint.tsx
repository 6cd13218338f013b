/** Where WooCommerce keys come from. Read/Write: Shopbot registers product webhooks on the
 * store so changes arrive without waiting for a sync (read-only keys fail at that step). */
export function KeyHint() {
  return (
    <p className="text-sm text-muted-foreground">
      In WordPress, open <strong>WooCommerce → Settings → Advanced → REST API</strong>, choose <strong>Add key</strong>, set Permissions to{" "}
      <strong>Read/Write</strong> (Shopbot reads products and registers webhooks to hear about changes; it never edits products or orders),
      then copy the consumer key and secret here. The secret is shown only once.
    </p>
  );
}
