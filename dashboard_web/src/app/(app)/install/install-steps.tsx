export function InstallSteps() {
  return (
    <section aria-labelledby="steps-heading" className="grid gap-3">
      <h2 id="steps-heading" className="text-lg font-semibold">
        Add it to WooCommerce (WordPress)
      </h2>
      <p className="text-sm text-muted-foreground">Pick one way. The snippet goes once on every page, just before the closing &lt;/body&gt; tag.</p>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="rounded-lg border p-4">
          <h3 className="font-medium">With a code plugin (recommended)</h3>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm">
            <li>In WordPress, open Plugins → Add New and install a header and footer code plugin such as &ldquo;WPCode&rdquo;.</li>
            <li>Open Code Snippets → Header &amp; Footer.</li>
            <li>Paste the snippet into the Footer box and save.</li>
          </ol>
          <p className="mt-2 text-xs text-muted-foreground">It survives theme updates.</p>
        </div>
        <div className="rounded-lg border p-4">
          <h3 className="font-medium">In the theme</h3>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm">
            <li>Open Appearance → Theme File Editor (use a child theme if you have one).</li>
            <li>Choose footer.php.</li>
            <li>Paste the snippet just before &lt;/body&gt; and click Update File.</li>
          </ol>
          <p className="mt-2 text-xs text-muted-foreground">A theme update can undo this; the plugin way avoids that.</p>
        </div>
      </div>
      <ol className="list-decimal space-y-1 pl-5 text-sm" start={4}>
        <li>Add your store&apos;s address (such as https://shop.example.com) to the bot&apos;s allowed origins: the widget opens only there.</li>
        <li>Open your store in a private window: the launcher appears in the corner you chose.</li>
      </ol>
    </section>
  );
}
