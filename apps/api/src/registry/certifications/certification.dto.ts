import {
  certificateDecisionSchema,
  certificationListQuerySchema,
  createCertificationSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateCertificationDto extends zodDto(
  'CreateCertificationDto',
  createCertificationSchema,
) {}
export class CertificationListQueryDto extends zodDto(
  'CertificationListQuery',
  certificationListQuerySchema,
) {}
export class CertificateDecisionBody extends zodDto(
  'CertificateDecisionInput',
  certificateDecisionSchema,
) {}
