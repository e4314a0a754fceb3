/** Setting a year's target for a unit and an indicator. */
export const vi = {
  'targets.new': 'Đặt chỉ tiêu',
  'targets.unit': 'Đơn vị',
  'targets.year': 'Năm',
  'targets.indicator': 'Chỉ tiêu',
  'targets.value': 'Mức chỉ tiêu',
  'targets.valueHint.contract_share': 'Tỷ lệ từ 0 đến 1 (0,6 = 60 %)',
  'targets.note': 'Ghi chú',
  'targets.saved': 'Đã đặt chỉ tiêu {indicator} năm {year} cho {unit}.',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'targets.new': 'Set a target',
  'targets.unit': 'Unit',
  'targets.year': 'Year',
  'targets.indicator': 'Indicator',
  'targets.value': 'Target',
  'targets.valueHint.contract_share': 'A share between 0 and 1 (0.6 = 60 %)',
  'targets.note': 'Note',
  'targets.saved': 'Target for {indicator} in {year} set for {unit}.',
};
