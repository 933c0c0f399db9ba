import { describe, expect, it } from 'vitest';

import {
  buildMapping,
  isFieldKey,
  mappingRows,
  parseCountryCode,
  suggestFieldKey,
  type MappingRow,
} from '@/features/contacts/utils/mapping';

const HEADERS = ['Nome', 'Celular', 'E-mail', 'Grupos', 'Cidade'];

describe('mappingRows', () => {
  it("gives every header a row, as the server's mapping says, and ignores the columns it left out", () => {
    const rows = mappingRows(HEADERS, [
      { column: 'Nome', field: 'name' },
      { column: 'Celular', field: 'phone' },
      { column: 'Grupos', field: 'tags' },
      { column: 'Cidade', field: 'city' },
    ]);
    expect(rows).toEqual([
      { column: 'Nome', choice: 'name', key: '' },
      { column: 'Celular', choice: 'phone', key: '' },
      { column: 'E-mail', choice: '', key: '' },
      { column: 'Grupos', choice: 'tags', key: '' },
      { column: 'Cidade', choice: 'custom', key: 'city' },
    ]);
  });
});

describe('buildMapping', () => {
  it('sends the chosen columns in file order and leaves ignored ones out', () => {
    const rows: MappingRow[] = [
      { column: 'Nome', choice: 'name', key: '' },
      { column: 'Celular', choice: 'phone', key: '' },
      { column: 'E-mail', choice: '', key: '' },
      { column: 'Cidade', choice: 'custom', key: ' city ' },
      { column: 'Aceita', choice: 'marketing', key: 'stale key is not sent' },
    ];
    const built = buildMapping(rows);
    expect(built.mapping).toEqual([
      { column: 'Nome', field: 'name' },
      { column: 'Celular', field: 'phone' },
      { column: 'Cidade', field: 'city' },
      { column: 'Aceita', field: 'marketing' },
    ]);
    expect(built.problems.size).toBe(0);
  });

  it('holds back custom keys the server would refuse, with the reason on their row', () => {
    const rows: MappingRow[] = [
      { column: 'Celular', choice: 'phone', key: '' },
      { column: 'Cidade', choice: 'custom', key: '' },
      { column: 'Loja', choice: 'custom', key: 'Loja Favorita' },
      { column: 'Fone 2', choice: 'custom', key: 'phone' },
      { column: 'Plano', choice: 'custom', key: 'plan_2' },
    ];
    const built = buildMapping(rows);
    expect(built.mapping).toEqual([
      { column: 'Celular', field: 'phone' },
      { column: 'Plano', field: 'plan_2' },
    ]);
    expect([...built.problems.keys()]).toEqual([1, 2, 3]);
    expect(built.problems.get(1)).toMatch(/Enter a key/);
    expect(built.problems.get(2)).toMatch(/lower-case letters/);
    expect(built.problems.get(3)).toMatch(/Phone number from the list/);
  });
});

describe('field keys', () => {
  it('accepts what the server accepts', () => {
    expect(isFieldKey('city')).toBe(true);
    expect(isFieldKey('a'.repeat(40))).toBe(true);
    expect(isFieldKey('a'.repeat(41))).toBe(false);
    expect(isFieldKey('2nd_phone')).toBe(false);
    expect(isFieldKey('City')).toBe(false);
  });

  it('suggests a key from a column name', () => {
    expect(suggestFieldKey('Cidade')).toBe('cidade');
    expect(suggestFieldKey('Data de nascimento')).toBe('data_de_nascimento');
    expect(suggestFieldKey('  Nº do cliente ')).toBe('n_do_cliente');
    expect(suggestFieldKey('2º telefone')).toBe('telefone');
    expect(suggestFieldKey('Phone')).toBe('phone_field');
    expect(isFieldKey(suggestFieldKey('Über-Größe (cm) über alles, wirklich sehr lang und länger'))).toBe(true);
  });
});

describe('parseCountryCode', () => {
  it('upper-cases two letters, treats blank as none and refuses the rest', () => {
    expect(parseCountryCode(' br ')).toBe('BR');
    expect(parseCountryCode('')).toBeNull();
    expect(parseCountryCode('BRA')).toBeUndefined();
    expect(parseCountryCode('B1')).toBeUndefined();
  });
});
