// Build-time constant injected by esbuild (package.json version).
declare const __SHOPBOT_VERSION__: string;

declare module '*.css' {
  const css: string;
  export default css;
}

interface Window {
  Shopbot?: {
    readonly version: string;
    open(): void;
    close(): void;
    ask(text: string): Promise<boolean>;
  };
}
