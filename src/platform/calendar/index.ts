// Working days in England and Wales, for statutory and charter deadlines (bank holidays as data).
export { londonDate, isWorkingDay, workingDayDeadline, workingDaysBetween, CalendarRangeError } from './working-days.ts'
