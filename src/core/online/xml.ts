// A small XML reader for the feeds services answer with (arXiv's Atom). Elements, text,
// attributes, CDATA and the five predefined entities plus numeric character references:
// nothing else. A DOCTYPE (where entity definitions — "billion laughs", external
// entities — live) is refused outright, so no entity is ever expanded from the document.
import { decodeEntities } from '../text/entities';

/** An element: its name (prefix kept: `arxiv:doi`), attributes, children and text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text (CDATA included), entities decoded. */
  text: string;
}

export class XmlError extends Error {}

const NAME = /^[A-Za-z_][\w.:-]*/;
const MAX_DEPTH = 64;

/** Parses an XML document into its root element; throws XmlError on what is not well-formed or carries a DOCTYPE. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      top.text += decodeEntities(text.slice(i));
      break;
    }
    if (lt > i) {
      top.text += decodeEntities(text.slice(i, lt));
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) {
        throw new XmlError('unterminated comment');
      }
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) {
        throw new XmlError('unterminated CDATA section');
      }
      top.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', lt)) {
      throw new XmlError('a DOCTYPE or declaration is not accepted');
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) {
        throw new XmlError('unterminated processing instruction');
      }
      i = end + 2;
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      const name = text.slice(lt + 2, end < 0 ? n : end).trim();
      if (end < 0 || stack.length < 2 || top.name !== name) {
        throw new XmlError(`unexpected closing tag </${name}>`);
      }
      stack.pop();
      i = end + 1;
    } else {
      const m = NAME.exec(text.slice(lt + 1, lt + 200));
      if (!m) {
        throw new XmlError('malformed tag');
      }
      let j = lt + 1 + m[0].length;
      const attributes: Record<string, string> = Object.create(null);
      for (;;) {
        while (j < n && /\s/.test(text[j])) {
          j++;
        }
        if (text[j] === '>' || text.startsWith('/>', j)) {
          break;
        }
        const an = NAME.exec(text.slice(j, j + 200));
        if (!an) {
          throw new XmlError(`malformed attribute in <${m[0]}>`);
        }
        j += an[0].length;
        while (/\s/.test(text[j] ?? '')) {
          j++;
        }
        if (text[j] !== '=') {
          throw new XmlError(`attribute ${an[0]} without a value`);
        }
        j++;
        while (/\s/.test(text[j] ?? '')) {
          j++;
        }
        const quote = text[j];
        if (quote !== '"' && quote !== "'") {
          throw new XmlError(`unquoted attribute ${an[0]}`);
        }
        const close = text.indexOf(quote, j + 1);
        if (close < 0) {
          throw new XmlError('unterminated attribute value');
        }
        attributes[an[0]] = decodeEntities(text.slice(j + 1, close));
        j = close + 1;
      }
      const element: XmlElement = { name: m[0], attributes, children: [], text: '' };
      top.children.push(element);
      if (text.startsWith('/>', j)) {
        i = j + 2;
      } else {
        if (stack.length > MAX_DEPTH) {
          throw new XmlError('too deeply nested');
        }
        stack.push(element);
        i = j + 1;
      }
    }
  }
  if (stack.length !== 1) {
    throw new XmlError(`<${stack[stack.length - 1].name}> is never closed (truncated?)`);
  }
  const elements = root.children;
  if (elements.length !== 1) {
    throw new XmlError(elements.length === 0 ? 'no root element' : 'several root elements');
  }
  return elements[0];
}

/** The direct children with this name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The text of the first direct child with this name, trimmed, or undefined. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = el.children.find((x) => x.name === name);
  return c ? c.text.trim() : undefined;
}
