/**
 * The Office parsers' XML scanner (hand-written since it replaced a regex): the text a user
 * searches for comes out of every construct a real part holds, in order, and markup never does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paragraphsOf, scanXml } from './xml-scan.js';

test('paragraph text survives CDATA, comments, processing instructions, entities and a stray "<"', () => {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><!-- exported > by a tool --><w:body>' +
    '<w:p><w:r><w:t>Pressure &lt; 5 bar &amp; rising</w:t></w:r></w:p>' +
    '<w:p><w:r><w:t><![CDATA[Valve <V-12> stays shut]]></w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">then vent</w:t></w:r></w:p>' +
    '<w:p><w:r><w:t>a < b and 3<4</w:t></w:r></w:p>' +
    '<w:p/><w:p><w:r><w:t>caf&#xE9; &#8364;5</w:t><w:br/><w:t>end</w:t></w:r></w:p></w:body>';
  assert.deepEqual(paragraphsOf(xml), ['Pressure < 5 bar & rising', 'Valve <V-12> stays shut then vent', 'a < b and 3<4', 'café €5 end']);
});

test('tags come out in document order with attributes, self-closing tags open and close', () => {
  const events: string[] = [];
  scanXml('<p:sp><a:ph type="title" idx=\'1\'/><a:t>Hi</a:t></p:sp>', {
    open: (name, attrs, self) => events.push(`<${name}${attrs}${self ? '/' : ''}>`),
    close: (name) => events.push(`</${name}>`),
    text: (t) => events.push(t),
  });
  assert.deepEqual(events, ['<sp>', `<ph type="title" idx='1'/>`, '</ph>', '<t>', 'Hi', '</t>', '</sp>']);
});
