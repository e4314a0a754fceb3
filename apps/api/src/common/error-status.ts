import type { ErrorCode } from '@huuco/domain';

/** Every error code's HTTP status. Adding a code without a status here fails to compile. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  REFERENCE_NOT_FOUND: 422,
  INTERNAL_ERROR: 500,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  TOO_MANY_REQUESTS: 429,
  USERNAME_TAKEN: 409,
  USER_SCOPE_INVALID: 422,
  CONSENT_NOT_FOUND: 404,
  GEOMETRY_INVALID: 422,
  GEOMETRY_RING_NOT_CLOSED: 422,
  GEOMETRY_TOO_FEW_POINTS: 422,
  GEOMETRY_SELF_INTERSECTION: 422,
  GEOMETRY_OUTSIDE_VIETNAM: 422,
  GEOMETRY_COORDINATES_SWAPPED: 422,
  PLOT_TOO_SMALL: 422,
  PLOT_TOO_LARGE: 422,
  PLOT_OVERLAPS: 409,
  PLOT_OUTSIDE_ZONE: 422,
  PLOT_CODE_TAKEN: 409,
  PLOT_IMPORT_REJECTED: 422,
  ZONE_TOO_SMALL: 422,
  ZONE_TOO_LARGE: 422,
  ZONE_CODE_TAKEN: 409,
  ZONE_STATUS_TRANSITION_INVALID: 409,
  ADMIN_UNIT_CODE_TAKEN: 409,
  ADMIN_UNIT_PARENT_INVALID: 422,
  ADMIN_UNIT_SUCCESSION_INVALID: 422,
  COOPERATIVE_REGISTRATION_TAKEN: 409,
  COOPERATIVE_INACTIVE: 422,
  HOUSEHOLD_ID_NUMBER_TAKEN: 409,
  CERTIFICATION_NUMBER_TAKEN: 409,
  CERTIFICATION_SCOPE_INVALID: 422,
  DATE_RANGE_INVALID: 422,
};

/** Named database constraints, mapped to the error a user understands. */
export const CONSTRAINT_ERRORS: Record<string, { code: ErrorCode; path: string; message: string }> =
  {
    uq_plots_code: {
      code: 'PLOT_CODE_TAKEN',
      path: 'code',
      message: 'A plot with this code exists.',
    },
    uq_zones_code: {
      code: 'ZONE_CODE_TAKEN',
      path: 'code',
      message: 'A zone with this code exists.',
    },
    uq_admin_units_level_code_valid_from: {
      code: 'ADMIN_UNIT_CODE_TAKEN',
      path: 'code',
      message: 'A unit of this level with this code already begins on this date.',
    },
    uq_cooperatives_registration_number: {
      code: 'COOPERATIVE_REGISTRATION_TAKEN',
      path: 'registrationNumber',
      message: 'A cooperative with this registration number exists.',
    },
    uq_households_id_number_hash: {
      code: 'HOUSEHOLD_ID_NUMBER_TAKEN',
      path: 'idNumber',
      message: 'A household with this ID number is registered.',
    },
    uq_certifications_body_number: {
      code: 'CERTIFICATION_NUMBER_TAKEN',
      path: 'certificateNumber',
      message: 'This body already issued a certificate with this number.',
    },
    uq_users_username: {
      code: 'USERNAME_TAKEN',
      path: 'username',
      message: 'This username is taken.',
    },
    ck_admin_units_validity: {
      code: 'DATE_RANGE_INVALID',
      path: 'validTo',
      message: 'validTo must come after validFrom.',
    },
    ck_certifications_validity: {
      code: 'DATE_RANGE_INVALID',
      path: 'validTo',
      message: 'validTo must not come before validFrom.',
    },
  };
