import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseColor, readableTextColor, themeColors, contrastRatio, luminance, DEFAULT_COLOR } from '../src/color.js';

test('parses hex and rgb()', () => {
  assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
  assert.deepEqual(parseColor('#1F5FD1'), [31, 95, 209]);
  assert.deepEqual(parseColor('#1f5fd180'), [31, 95, 209]);
  assert.deepEqual(parseColor('rgb(10, 20, 30)'), [10, 20, 30]);
  assert.deepEqual(parseColor('rgba(10,20,30,0.5)'), [10, 20, 30]);
  assert.deepEqual(parseColor('rgb(10 20 30 / 50%)'), [10, 20, 30]);
  for (const bad of ['red', '#12', 'rgb(300,0,0)', 'url(x)', '', null, 5, '#fff;background:url(x)']) {
    assert.equal(parseColor(bad), null, String(bad));
  }
});

test('picks the text colour with the higher contrast', () => {
  assert.equal(readableTextColor([255, 255, 255]), '#000000');
  assert.equal(readableTextColor([0, 0, 0]), '#ffffff');
  assert.equal(readableTextColor([255, 221, 0]), '#000000'); // yellow
  assert.equal(readableTextColor([31, 95, 209]), '#ffffff'); // default blue
  assert.equal(readableTextColor([0, 128, 96]), '#ffffff');
});

test('the chosen text colour reaches WCAG AA (4.5:1) on every background', () => {
  for (let r = 0; r <= 255; r += 17) {
    for (let g = 0; g <= 255; g += 17) {
      for (let b = 0; b <= 255; b += 17) {
        const text = readableTextColor([r, g, b]);
        const ratio = contrastRatio(luminance([r, g, b]), text === '#ffffff' ? 1 : 0);
        assert.ok(ratio >= 4.5, `${r},${g},${b} -> ${text} at ${ratio.toFixed(2)}:1`);
      }
    }
  }
});

test('themeColors: first valid candidate, else the default', () => {
  assert.deepEqual(themeColors(null, '#ffdd00'), { background: '#ffdd00', text: '#000000' });
  assert.deepEqual(themeColors('#000', '#ffdd00'), { background: '#000000', text: '#ffffff' });
  assert.equal(themeColors('nonsense', undefined).background, DEFAULT_COLOR);
});
