import type { OrganicStatus } from '@huuco/domain';

export const STATUS_COLOURS: Record<OrganicStatus, string> = {
  certified: '#2e7d32',
  in_conversion: '#f9a825',
  suspended: '#c62828',
  not_organic: '#78909c',
};
