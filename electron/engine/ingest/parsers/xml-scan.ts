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

/**
 * Scanned with indexOf and character codes rather than one alternation regex: the regex was three
 * quarters of the time of reading a slide. Same grammar as the regex it replaced:
 * `<(/?)(name)(attrs)(/?)>` for tags, `<![CDATA[…]]>` as text, `<?…>` and `<!…>` skipped; a `<`
 * that starts none of these is text.
 */
export function scanXml(xml: string, h: XmlHandler): void {
  const n = xml.length;
  let last = 0;
  let p = xml.indexOf('<');
  while (p >= 0) {
    const c1 = xml.charCodeAt(p + 1);
    const closing = c1 === SLASH;
    const nameStart = closing ? p + 2 : p + 1;
    let end = -1;
    if (isNameStart(xml.charCodeAt(nameStart))) {
      let nameEnd = nameStart + 1;
      while (nameEnd < n && isNameChar(xml.charCodeAt(nameEnd))) nameEnd++;
      const gt = xml.indexOf('>', nameEnd);
      if (gt >= 0) {
        if (p > last && h.text) h.text(decodeEntities(xml.slice(last, p)));
        const name = localName(xml.slice(nameStart, nameEnd));
        const self = gt > nameEnd && xml.charCodeAt(gt - 1) === SLASH;
        if (closing) h.close?.(name);
        else {
          h.open?.(name, xml.slice(nameEnd, self ? gt - 1 : gt), self);
          if (self) h.close?.(name);
        }
        end = gt + 1;
      }
    } else if (c1 === BANG || c1 === QUESTION) {
      const cdataEnd = c1 === BANG && xml.startsWith('<![CDATA[', p) ? xml.indexOf(']]>', p + 9) : -1;
      const gt = cdataEnd >= 0 ? cdataEnd + 2 : xml.indexOf('>', p + 2);
      if (gt >= 0) {
        if (p > last && h.text) h.text(decodeEntities(xml.slice(last, p)));
        if (cdataEnd >= 0) h.text?.(xml.slice(p + 9, cdataEnd));
        end = gt + 1;
      }
    }
    if (end >= 0) {
      last = end;
      p = xml.indexOf('<', end);
    } else p = xml.indexOf('<', p + 1);
  }
  if (last < n && h.text) h.text(decodeEntities(xml.slice(last)));
}

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** [A-Za-z0-9_:.-] */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 58) || c === 46 || c === 45;
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
