import { idParamSchema } from '@huuco/domain';
import { zodDto } from './zod-dto.js';

export class IdParam extends zodDto('IdParam', idParamSchema) {}
