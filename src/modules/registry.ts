import { platformModule, type ModuleManifest } from '../platform/index.ts'
import { accountsModule } from './accounts/module.ts'
import { directoryModule } from './directory/module.ts'
import { feedbackModule } from './feedback/module.ts'
import { choiceModule } from './choice/module.ts'

/** Every module, in dependency order (a module comes after the modules it depends on). */
export const modules: ModuleManifest[] = [platformModule, accountsModule, directoryModule, feedbackModule, choiceModule]
