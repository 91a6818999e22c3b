/**
 * Scrolls an element to the middle of its own scroll container only. Element.scrollIntoView also
 * scrolls every ancestor, the window included, which pushed the header off screen.
 */
export function revealInContainer(el: Element | null | undefined, where: 'center' | 'start' = 'center'): void {
  if (!el) return;
  let box = el.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (!box) return;
  const r = el.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  const offset = r.top - b.top + box.scrollTop;
  box.scrollTop = where === 'center' ? offset - (box.clientHeight - r.height) / 2 : offset - 8;
  // A grid inside the viewer body scrolls too: bring its container into view as well.
  if (box.parentElement?.closest('.viewer-body')) revealInContainer(box, 'start');
}
