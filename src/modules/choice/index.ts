// The choice module's public surface: other modules import only from here.
export {
  rightsFor,
  responseStandardDays,
  requestKindFor,
  REQUEST_KINDS,
  type FrameworkRights,
  type ChoiceRequestKind,
} from './rights.ts'
