/**
 * A linear, allocation-light scan of XML for the Office parsers: start tags (with attributes),
 * end tags and text, in document order. Building a full object tree of every slide or sheet cost
 * more than everything else in indexing them, and lost the order of mixed siblings (shapes,
 * tables, groups) that reading order needs.
 */
export interface XmlHandler {
  open?(name: string, attrs: string, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)([^>]*?)(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<[?!][\s\S]*?>/g;

export function scanXml(xml: string, h: XmlHandler): void {
  // A regex of its own: handlers may scan other parts (a chart from inside a slide) meanwhile.
  const tag = new RegExp(TAG.source, 'g');
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m.index > last && h.text) h.text(decodeEntities(xml.slice(last, m.index)));
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      h.text?.(m[5]);
    } else if (m[2]) {
      const name = localName(m[2]);
      if (m[1]) h.close?.(name);
      else {
        h.open?.(name, m[3], m[4] === '/');
        if (m[4] === '/') h.close?.(name);
      }
    }
  }
  if (last < xml.length && h.text) h.text(decodeEntities(xml.slice(last)));
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** An attribute's value by local name ("r:id" and "id" both match "id" only when asked by full name). */
const ATTR = new Map<string, RegExp>();

export function attr(attrs: string, name: string): string | undefined {
  // One compiled pattern per attribute name: a sheet of a million rows asks millions of times.
  let re = ATTR.get(name);
  if (!re) ATTR.set(name, (re = new RegExp(`(?:^|\\s)${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*("([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  return m ? decodeEntities(m[2] ?? m[3] ?? '') : undefined;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[e.toLowerCase()] ?? all;
  });
}

/** All text of a part, paragraph by paragraph (a:p / w:p), runs joined, tabs and breaks as spaces. */
export function paragraphsOf(xml: string, paragraphTag = 'p', textTag = 't'): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  let inText = 0;
  scanXml(xml, {
    open(name, _a, self) {
      if (name === paragraphTag && !self) cur = [];
      else if (name === textTag && !self) inText++;
      else if ((name === 'br' || name === 'tab') && cur) cur.push(' ');
    },
    close(name) {
      if (name === textTag) inText = Math.max(0, inText - 1);
      else if (name === paragraphTag && cur) {
        const t = cur.join('').replace(/\s+/g, ' ').trim();
        if (t) out.push(t);
        cur = null;
      }
    },
    text(t) {
      if (inText && cur) cur.push(t);
    },
  });
  return out;
}
