/**
 * Leaflet's tooltips and popups read a string as HTML. Anything a user typed (a zone's name, a
 * household's) goes in as a text node instead, so markup in it is shown, never drawn.
 */
export function textLabel(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}
