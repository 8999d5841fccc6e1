type Child = Node | string | null | undefined | false;

/** Builds an element; text goes through textContent (never innerHTML: no markup injection). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

export function show(id: string, visible: boolean): void {
  byId(id).hidden = !visible;
}

export function fill(id: string, ...children: Child[]): void {
  const target = byId(id);
  target.replaceChildren();
  for (const child of children) if (child !== null && child !== undefined && child !== false) target.append(child);
}
