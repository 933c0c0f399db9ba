import { describe, expect, it } from 'vitest';

import {
  countPlaceholders,
  fillPlaceholders,
  missingParameters,
  placeholderNumbers,
  placeholderProblem,
} from '@/lib/templates';

describe('placeholders', () => {
  it('counts {{1}}…{{n}}, repeated or spaced, by the highest number', () => {
    expect(countPlaceholders('Hi {{1}}, order {{2}} ships {{ 3 }}. Thanks {{1}}!')).toBe(3);
    expect(placeholderNumbers('{{2}} and {{1}} and {{2}}')).toEqual([1, 2]);
    expect(countPlaceholders('No parameters here')).toBe(0);
    expect(countPlaceholders(null)).toBe(0);
  });

  it('fills values in order and keeps empty ones visible', () => {
    expect(fillPlaceholders('Hi {{1}}, order {{2}} is ready.', ['Ana', '#42'])).toBe('Hi Ana, order #42 is ready.');
    expect(fillPlaceholders('Hi {{1}}, order {{2}} is ready.', ['Ana', '  '])).toBe('Hi Ana, order {{2}} is ready.');
    expect(fillPlaceholders('{{1}} and {{1}}', ['x'])).toBe('x and x');
  });

  it('lists the parameters still empty', () => {
    expect(missingParameters(3, ['a', '', ' '])).toEqual([2, 3]);
    expect(missingParameters(2, ['a', 'b'])).toEqual([]);
  });

  it('refuses gaps and placeholders at the very start or end, as Meta does', () => {
    expect(placeholderProblem('Hi {{1}}, your code is {{3}}.')).toMatch(/without gaps/);
    expect(placeholderProblem('{{1}} is your code.')).toMatch(/cannot start or end/);
    expect(placeholderProblem('Your code is {{1}}')).toMatch(/cannot start or end/);
    expect(placeholderProblem('Hi {{1}}, your code is {{2}}.')).toBeNull();
  });
});
