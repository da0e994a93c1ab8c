/**
 * Builds an element. Text is only ever set with textContent, never parsed as HTML, so
 * session data (user agents, failure details) cannot inject markup or script.
 * `props`: `class`, `text`, `title`, `dataset` (object), `on` (event -> handler), and
 * any other key as an attribute (`null`/`undefined`/`false` skip it).
 */
export function h(tag, props = {}, children = []) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') for (const [type, handler] of Object.entries(value)) element.addEventListener(type, handler);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent, children) {
  parent.replaceChildren(...[].concat(children).filter((child) => child !== null && child !== undefined && child !== false));
}
