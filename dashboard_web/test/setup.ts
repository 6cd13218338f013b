// What jsdom lacks and the ui kit needs: Radix's switch measures itself with ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
