// The Choice Frameworks are shared by every module (consent scopes, rights, statistics): the platform owns them.
export { CHOICE_FRAMEWORKS, isChoiceFramework, type ChoiceFramework } from '../../platform/index.ts'
