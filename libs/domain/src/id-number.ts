/** Vietnamese citizen ID (CCCD): 12 digits, the first three the province of birth registration. */
export const ID_NUMBER_PATTERN = /^\d{12}$/;

/** `030123456189` → `030******189`: enough to tell two households apart, not to impersonate. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 6)}${idNumber.slice(-3)}`;
}

/** `0912345678` → `091****678`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}
