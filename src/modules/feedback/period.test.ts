import { describe, expect, it } from 'vitest'
import { addMonths, financialYearMonth, monthOf, rollingYear } from './period.ts'

describe('FFT periods', () => {
  it.each([
    ['2024_25', 'April', '2024-04'],
    ['2024_25', 'DECEMBER', '2024-12'],
    ['2024_25', 'January', '2025-01'],
    ['2024_25', 'Mar', '2025-03'],
    ['1999_00', 'February', '2000-02'],
  ])('a provider uploads %s %s: the month is %s', (year, period, month) => {
    expect(financialYearMonth(year, period)).toBe(month)
  })

  it.each([
    ['2024_26', 'April'],
    ['2024-25', 'April'],
    ['2024', 'April'],
    ['2024_25', 'Smarch'],
    ['2024_25', 'Ju'],
    ['2024_25', ''],
  ])('%s %s is not a real month', (year, period) => {
    expect(financialYearMonth(year, period)).toBeNull()
  })

  it('counts months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2025-11', 14)).toBe('2027-01')
    expect(() => addMonths('2025-13', 1)).toThrow(RangeError)
  })

  it("takes a response's month in England, and a rolling year as the 12 complete months before now", () => {
    expect(monthOf(new Date('2026-05-31T23:30:00Z'))).toBe('2026-06') // 00:30 BST on 1 June
    expect(monthOf(new Date('2026-01-31T23:30:00Z'))).toBe('2026-01') // GMT
    expect(rollingYear(new Date('2026-11-23T12:00:00Z'))).toEqual({ from: '2025-11', to: '2026-10' })
  })
})
