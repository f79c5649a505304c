// Monaco, and Radix's scroll lock inside GraphiQL, add <style> elements while they run (theme colours, decorations).
// The page's CSP admits a <style> element only with the page's nonce (gateway/explorer/page.ts), so every <style>
// this page's own scripts create gets it: an injected <style> in the markup still has none and is refused. The nonce
// is read from the <meta property="csp-nonce"> the server writes (the convention Vite uses); a browser hides the
// attribute but keeps the `nonce` property. Imported first by main.tsx, before any module that makes styles runs.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;

if (nonce) {
  // Called below with the document it was called on, never detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (
    this: Document,
    tagName: string,
    options?: ElementCreationOptions,
  ): HTMLElement {
    const element: HTMLElement = createElement.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  };
}

export {};
