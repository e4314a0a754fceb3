/**
 * Every error the API can answer, by code. The HTTP status of each lives in the API's
 * error filter; the web app translates them for users.
 */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  InvalidJson: 'INVALID_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  NotFound: 'NOT_FOUND',
  RouteNotFound: 'ROUTE_NOT_FOUND',
  Conflict: 'CONFLICT',
  ReferenceNotFound: 'REFERENCE_NOT_FOUND',
  InternalError: 'INTERNAL_ERROR',
  Unauthenticated: 'UNAUTHENTICATED',
  TokenExpired: 'TOKEN_EXPIRED',
  Forbidden: 'FORBIDDEN',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  AccountLocked: 'ACCOUNT_LOCKED',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  UsernameTaken: 'USERNAME_TAKEN',
  PasswordTooWeak: 'PASSWORD_TOO_WEAK',
  UserScopeInvalid: 'USER_SCOPE_INVALID',
  ConsentNotFound: 'CONSENT_NOT_FOUND',

  GeometryInvalid: 'GEOMETRY_INVALID',
  GeometryRingNotClosed: 'GEOMETRY_RING_NOT_CLOSED',
  GeometryTooFewPoints: 'GEOMETRY_TOO_FEW_POINTS',
  GeometrySelfIntersection: 'GEOMETRY_SELF_INTERSECTION',
  GeometryOutsideVietnam: 'GEOMETRY_OUTSIDE_VIETNAM',
  GeometryCoordinatesSwapped: 'GEOMETRY_COORDINATES_SWAPPED',
  PlotTooSmall: 'PLOT_TOO_SMALL',
  PlotTooLarge: 'PLOT_TOO_LARGE',
  PlotOverlaps: 'PLOT_OVERLAPS',
  PlotOutsideZone: 'PLOT_OUTSIDE_ZONE',
  PlotCodeTaken: 'PLOT_CODE_TAKEN',
  PlotImportRejected: 'PLOT_IMPORT_REJECTED',
  ZoneTooSmall: 'ZONE_TOO_SMALL',
  ZoneTooLarge: 'ZONE_TOO_LARGE',
  ZoneCodeTaken: 'ZONE_CODE_TAKEN',
  ZoneStatusTransitionInvalid: 'ZONE_STATUS_TRANSITION_INVALID',
  StatusChangeOutOfOrder: 'STATUS_CHANGE_OUT_OF_ORDER',
  CertificateDecisionInvalid: 'CERTIFICATE_DECISION_INVALID',
  CooperativeStatusTransitionInvalid: 'COOPERATIVE_STATUS_TRANSITION_INVALID',
  HouseholdLeft: 'HOUSEHOLD_LEFT',
  HouseholdCodeTaken: 'HOUSEHOLD_CODE_TAKEN',
  PlotRetired: 'PLOT_RETIRED',
  EpcisDocumentInvalid: 'EPCIS_DOCUMENT_INVALID',
  CosignatureInvalid: 'COSIGNATURE_INVALID',
  EventIdMismatch: 'EVENT_ID_MISMATCH',
  EventInvalid: 'EVENT_INVALID',
  EventDuplicate: 'EVENT_DUPLICATE',
  EventNotAboutLots: 'EVENT_NOT_ABOUT_LOTS',
  LotNotYours: 'LOT_NOT_YOURS',
  PlotHasLaterHarvests: 'PLOT_HAS_LATER_HARVESTS',
  AdminUnitCodeTaken: 'ADMIN_UNIT_CODE_TAKEN',
  AdminUnitParentInvalid: 'ADMIN_UNIT_PARENT_INVALID',
  AdminUnitSuccessionInvalid: 'ADMIN_UNIT_SUCCESSION_INVALID',
  CooperativeRegistrationTaken: 'COOPERATIVE_REGISTRATION_TAKEN',
  CooperativeInactive: 'COOPERATIVE_INACTIVE',
  HouseholdIdNumberTaken: 'HOUSEHOLD_ID_NUMBER_TAKEN',
  CertificationNumberTaken: 'CERTIFICATION_NUMBER_TAKEN',
  CertificationScopeInvalid: 'CERTIFICATION_SCOPE_INVALID',
  DateRangeInvalid: 'DATE_RANGE_INVALID',
  SeasonTaken: 'SEASON_TAKEN',
  ProductCodeTaken: 'PRODUCT_CODE_TAKEN',
  GtinTaken: 'GTIN_TAKEN',
  HarvestOutsideSeason: 'HARVEST_OUTSIDE_SEASON',
  HarvestInFuture: 'HARVEST_IN_FUTURE',
  HarvestProductInvalid: 'HARVEST_PRODUCT_INVALID',
  YieldNeedsOverride: 'YIELD_NEEDS_OVERRIDE',
  YieldImplausible: 'YIELD_IMPLAUSIBLE',
  HarvestCorrectionInvalid: 'HARVEST_CORRECTION_INVALID',
  InsufficientQuantity: 'INSUFFICIENT_QUANTITY',
  LotNotUsable: 'LOT_NOT_USABLE',
  LotStatusTransitionInvalid: 'LOT_STATUS_TRANSITION_INVALID',
  TransformationInvalid: 'TRANSFORMATION_INVALID',
  MillingRatioOutOfRange: 'MILLING_RATIO_OUT_OF_RANGE',
  InputsFromSeveralCooperatives: 'INPUTS_FROM_SEVERAL_COOPERATIVES',
  BuyerTaxCodeTaken: 'BUYER_TAX_CODE_TAKEN',
  ContractNumberTaken: 'CONTRACT_NUMBER_TAKEN',
  ContractStatusTransitionInvalid: 'CONTRACT_STATUS_TRANSITION_INVALID',
  ContractNotActive: 'CONTRACT_NOT_ACTIVE',
  ContractScopeInvalid: 'CONTRACT_SCOPE_INVALID',
  DeliveryExceedsContract: 'DELIVERY_EXCEEDS_CONTRACT',
  DeliveryLotInvalid: 'DELIVERY_LOT_INVALID',
  DeliveryAlreadyReceived: 'DELIVERY_ALREADY_RECEIVED',
  DocumentTypeInvalid: 'DOCUMENT_TYPE_INVALID',
  TargetTaken: 'TARGET_TAKEN',
  OcopCertificateTaken: 'OCOP_CERTIFICATE_TAKEN',
  InspectionAlreadyRecorded: 'INSPECTION_ALREADY_RECORDED',
  NonComplianceAlreadyClosed: 'NON_COMPLIANCE_ALREADY_CLOSED',
  ImportFileUnreadable: 'IMPORT_FILE_UNREADABLE',
  ImportNoHeader: 'IMPORT_NO_HEADER',
  ImportCrsNeeded: 'IMPORT_CRS_NEEDED',
  ImportCrsUnsupported: 'IMPORT_CRS_UNSUPPORTED',
  ImportEmpty: 'IMPORT_EMPTY',
  ImportRowDuplicate: 'IMPORT_ROW_DUPLICATE',
  ImportHasErrors: 'IMPORT_HAS_ERRORS',
  ImportNotReady: 'IMPORT_NOT_READY',
  ImportChanged: 'IMPORT_CHANGED',
  IdempotencyKeyInvalid: 'IDEMPOTENCY_KEY_INVALID',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  PlotChanged: 'PLOT_CHANGED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One field at fault: `path` is dotted (`geometry.coordinates.0`), `code` machine-readable. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** The single error body every failing request receives. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
}
