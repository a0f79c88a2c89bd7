// rules.js — the identifier checks the counter runs as the clerk types. Each mirrors a C module
// of src/core/ (the server runs those; when the two disagree the server's answer is shown on its
// field): the resident ID number (idcard.c, GB 11643 with ISO 7064 MOD 11-2), the mobile number
// (mobile.c), the VIN check digit (vin.c, GB 16735-2019), the plate's shape and its plate type
// (plate.c, GA 36-2018) and the licence class (licence.c). Each check returns null when the value
// passes, else a message key of web/i18n/*.json and its values.

// jy_ident_fold (ident.c): full-width ASCII to ASCII, the ideographic space to a space, trim.
export function fold(s) {
  return String(s ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
  43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]);

// jy_idcard_check_char: the check character of the first 17 digits.
export function idCheckChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

function isDate(y, m, d) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

// jy_idcard_parse (idcard.c). `today` is "YYYY-MM-DD" (Asia/Shanghai).
export function checkIdNumber(raw, today) {
  const s = fold(raw).replace(/ /g, '');
  if (s.length !== 18 && s.length !== 15) return { key: 'rule.id.length', vars: { n: s.length } };
  const n = s.length === 18 ? 17 : 15;
  for (let i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return { key: 'rule.id.digit', vars: { i: i + 1 } };
  let num;
  if (s.length === 18) {
    const c = s[17] === 'x' ? 'X' : s[17];
    if (!/[0-9X]/.test(c)) return { key: 'rule.id.last' };
    if (idCheckChar(s) !== c) return { key: 'rule.id.check' };
    num = s.slice(0, 17) + c;
  } else {
    num = `${s.slice(0, 6)}19${s.slice(6)}`;
  }
  const prov = Number(num.slice(0, 2));
  if (!PROVINCES.has(prov)) return { key: 'rule.id.province', vars: { p: num.slice(0, 2) } };
  const y = Number(num.slice(6, 10)), m = Number(num.slice(10, 12)), d = Number(num.slice(12, 14));
  if (!isDate(y, m, d)) return { key: 'rule.id.date' };
  if (y < 1900) return { key: 'rule.id.early' };
  if (today && num.slice(6, 14) > today.replace(/-/g, '')) return { key: 'rule.id.future' };
  return null;
}

// jy_mobile_parse (mobile.c).
export function checkMobile(raw) {
  const s = fold(raw);
  let i = 0;
  const plus = s.startsWith('+');
  if (plus) i = 1;
  let digits = '';
  let afterSep = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      afterSep = false;
    } else if ((c === ' ' || c === '-') && digits.length > 0) {
      afterSep = true;
    } else {
      return { key: 'rule.mobile.char' };
    }
  }
  if (afterSep) return { key: 'rule.mobile.char' };
  if (plus) {
    if (!digits.startsWith('86')) return { key: 'rule.mobile.country' };
    digits = digits.slice(2);
  } else if (digits.length === 13 && digits.startsWith('86')) {
    digits = digits.slice(2);
  } else if (digits.length === 15 && digits.startsWith('0086')) {
    digits = digits.slice(4);
  }
  if (digits.length !== 11) return { key: 'rule.mobile.length', vars: { n: digits.length } };
  if (digits[0] !== '1' || digits[1] < '3') return { key: 'rule.mobile.prefix' };
  return null;
}

const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_LETTERS = [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9];

function vinValue(c) {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') {
    const v = VIN_LETTERS[c.charCodeAt(0) - 65];
    return v === 0 ? -1 : v;
  }
  return -1;
}

// jy_vin_check_digit (vin.c).
export function vinCheckDigit(vin) {
  let sum = 0;
  for (let i = 0; i < 17; i++) if (i !== 8) sum += vinValue(vin[i]) * VIN_WEIGHTS[i];
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

// jy_vin_parse (vin.c): the check digit is enforced for domestic VINs (those starting with L).
export function checkVin(raw) {
  const s = fold(raw).replace(/ /g, '').toUpperCase();
  if (s.length !== 17) return { key: 'rule.vin.length', vars: { n: s.length } };
  for (let i = 0; i < 17; i++) {
    if ('IOQ'.includes(s[i])) return { key: 'rule.vin.ioq', vars: { i: i + 1, c: s[i] } };
    if (vinValue(s[i]) < 0) return { key: 'rule.vin.char', vars: { i: i + 1 } };
  }
  const check = vinCheckDigit(s);
  if (s[0] === 'L' && s[8] !== check) return { key: 'rule.vin.check', vars: { c: check } };
  return null;
}

// The 31 province abbreviations of plate.c.
const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const SERIAL = '[0-9A-HJ-NP-Z]';
const ENERGY = '[DABCEFGHJK]';
const PLATE_SHAPES = [
  // kind, pattern over "province letter rest" (the separator after the letter dropped)
  ['new_energy_small', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${ENERGY}${SERIAL}[0-9]{4}$`)],
  ['new_energy_large', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z][0-9]{5}${ENERGY}$`)],
  ['coach', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}学$`)],
  ['police', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}警$`)],
  ['trailer', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}挂$`)],
  ['hongkong', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}港$`)],
  ['macao', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}澳$`)],
  ['consulate', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{4}领$`)],
  ['ordinary', new RegExp(`^[${PLATE_PROVINCES}][A-HJ-Z]${SERIAL}{5}$`)],
  ['embassy', /^使[0-9]{6}$/],
];

// The plate types a kind of plate may be registered under (plate.c); ordinary plates take any
// other type.
const KIND_TYPES = {
  new_energy_small: ['52'], new_energy_large: ['51'], coach: ['16', '17'], police: ['23', '24'],
  trailer: ['15'], embassy: ['03', '09'], consulate: ['04', '10'], hongkong: ['26'], macao: ['27'],
};

// The plate types the counter offers (GA 24.7 codes of plate.c), most common first.
export const PLATE_TYPES = [
  ['02', '小型汽车', 'Small car'], ['52', '小型新能源汽车', 'Small new-energy car'],
  ['01', '大型汽车', 'Large vehicle'], ['51', '大型新能源汽车', 'Large new-energy vehicle'],
  ['07', '普通摩托车', 'Motorcycle'], ['08', '轻便摩托车', 'Moped'], ['15', '挂车', 'Trailer'],
  ['16', '教练汽车', 'Coach car'], ['13', '低速车', 'Low-speed vehicle'],
  ['14', '拖拉机', 'Tractor'],
];

// The kind of a plate by its shape (plate.c), or null when no shape fits.
export function plateKind(raw) {
  const s = fold(raw).toUpperCase().replace(/^(.{1}[A-Z]|使)[ ·•・]/u, '$1');
  for (const [kind, re] of PLATE_SHAPES) if (re.test(s)) return kind;
  return null;
}

// jy_plate_parse and the plate-type check (plate.c).
export function checkPlate(raw, plateType) {
  const kind = plateKind(raw);
  if (!kind) return { key: 'rule.plate.shape' };
  if (plateType) {
    const allowed = KIND_TYPES[kind];
    const special = Object.values(KIND_TYPES).flat();
    if (allowed ? !allowed.includes(plateType) : special.includes(plateType))
      return { key: 'rule.plate.type' };
  }
  return null;
}

// licence.c: one or more classes printed together ("C1", "C1E", "A2D").
export const LICENCE_CLASSES = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6',
  'D', 'E', 'F', 'M', 'N', 'P'];

export function checkLicenceClass(raw) {
  const s = fold(raw).toUpperCase();
  if (!/^(A[123]|B[12]|C[1-6]|[DEFMNP])+$/.test(s)) return { key: 'rule.licence.class' };
  return null;
}

// The delivery address (intake): at least 5 characters.
export function checkAddress(raw) {
  return [...fold(raw)].length >= 5 ? null : { key: 'rule.address.short' };
}

export function checkPostcode(raw) {
  const s = fold(raw);
  return s === '' || /^[0-9]{6}$/.test(s) ? null : { key: 'rule.postcode' };
}

export function checkRequired(raw) {
  return fold(raw) === '' ? { key: 'rule.required' } : null;
}
