import { createContext, useContext, useState, type ReactNode } from 'react';

const vi = {
  'app.tagline': 'Vùng sản xuất hữu cơ và truy xuất nguồn gốc',
  'nav.map': 'Bản đồ',
  'nav.registry': 'Sổ đăng ký',
  'nav.api': 'Tài liệu API',
  'nav.households': 'Hộ gia đình',
  'nav.users': 'Tài khoản',
  'nav.audit': 'Nhật ký',
  'nav.logout': 'Đăng xuất',
  'login.title': 'Đăng nhập',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.offline': 'Không kết nối được máy chủ.',
  'login.demoAccounts': 'Tài khoản minh hoạ (mật khẩu huuco-demo):',
  'error.INVALID_CREDENTIALS': 'Sai tên đăng nhập hoặc mật khẩu.',
  'error.ACCOUNT_LOCKED': 'Tài khoản tạm khoá do nhập sai nhiều lần. Vui lòng thử lại sau.',
  'error.TOO_MANY_REQUESTS': 'Quá nhiều lần thử. Vui lòng đợi một phút.',
  'error.VALIDATION_FAILED': 'Vui lòng nhập đủ thông tin.',
  'role.district_admin': 'Quản trị huyện',
  'role.district_staff': 'Cán bộ huyện',
  'role.coop_manager': 'Quản lý HTX',
  'role.coop_member': 'Xã viên HTX',
  'role.inspector': 'Kiểm tra viên',
  'role.buyer': 'Doanh nghiệp',
  'households.head': 'Chủ hộ',
  'households.idNumber': 'Số CCCD',
  'households.phone': 'Điện thoại',
  'households.village': 'Thôn',
  'households.joined': 'Ngày tham gia',
  'households.plots': 'Số thửa',
  'users.username': 'Tên đăng nhập',
  'users.name': 'Tên hiển thị',
  'users.role': 'Vai trò',
  'users.active': 'Đang hoạt động',
  'users.disabled': 'Đã khoá',
  'users.locked': 'Tạm khoá',
  'audit.at': 'Thời điểm',
  'audit.actor': 'Người thực hiện',
  'audit.action': 'Thao tác',
  'audit.entity': 'Đối tượng',
  'demo.banner': 'Dữ liệu minh hoạ — không phải số liệu thật.',
  'language.switch': 'English',
  'status.certified': 'Đã chứng nhận',
  'status.in_conversion': 'Đang chuyển đổi',
  'status.suspended': 'Tạm đình chỉ',
  'status.not_organic': 'Không hữu cơ',
  'zoneStatus.planned': 'Quy hoạch',
  'zoneStatus.in_conversion': 'Đang chuyển đổi',
  'zoneStatus.certified': 'Đã chứng nhận',
  'zoneStatus.suspended': 'Tạm đình chỉ',
  'map.zoomIn': 'Phóng to để xem từng thửa ruộng.',
  'map.loading': 'Đang tải thửa…',
  'map.plotsShown': '{n} thửa trong khung nhìn',
  'map.truncated': 'Chỉ hiện {n} thửa đầu tiên; phóng to để xem hết.',
  'map.legend': 'Chú giải',
  'map.error': 'Không tải được dữ liệu bản đồ.',
  'panel.plot': 'Thửa ruộng',
  'panel.zone': 'Vùng sản xuất',
  'panel.area': 'Diện tích',
  'panel.declaredArea': 'Diện tích kê khai',
  'panel.status': 'Tình trạng hữu cơ',
  'panel.farmingSystem': 'Hệ canh tác',
  'panel.conversionStart': 'Bắt đầu chuyển đổi',
  'panel.flags': 'Cần kiểm tra',
  'panel.close': 'Đóng',
  'panel.targetArea': 'Diện tích mục tiêu',
  'panel.communes': 'Xã',
  'panel.products': 'Sản phẩm',
  'flag.LARGE_PLOT': 'Thửa lớn hơn 1 ha',
  'flag.AREA_MISMATCH': 'Diện tích kê khai lệch hơn 20 %',
  'reason.NO_ZONE': 'Thửa không thuộc vùng nào.',
  'reason.ZONE_NOT_ORGANIC': 'Vùng không phải vùng hữu cơ.',
  'reason.ZONE_SUSPENDED': 'Vùng đang bị tạm đình chỉ.',
  'reason.OPEN_MAJOR_NON_COMPLIANCE': 'Có vi phạm nghiêm trọng chưa khắc phục.',
  'reason.NO_CONVERSION_START': 'Chưa ghi nhận ngày bắt đầu chuyển đổi.',
  'reason.CONVERSION_NOT_STARTED': 'Chưa đến ngày bắt đầu chuyển đổi.',
  'reason.CONVERSION_PERIOD': 'Đang trong thời gian chuyển đổi đến {date}.',
  'reason.CERTIFICATE_VALID': 'Giấy chứng nhận {number} còn hiệu lực đến {date}.',
  'reason.CERTIFICATE_EXPIRED': 'Giấy chứng nhận {number} đã hết hạn ngày {date}.',
  'reason.NO_VALID_CERTIFICATE':
    'Đã hết thời gian chuyển đổi nhưng chưa có chứng nhận còn hiệu lực.',
  'farming.organic_rice': 'Lúa hữu cơ',
  'farming.rice_ruoi_cay': 'Lúa – rươi – cáy',
  'farming.crab_pond': 'Ao nuôi cua',
  'farming.shrimp_pond': 'Ao nuôi tôm',
  'farming.seafood': 'Thủy sản',
  'farming.vegetables': 'Rau',
  'farming.other': 'Khác',
  'registry.zones': 'Vùng sản xuất',
  'registry.cooperatives': 'Hợp tác xã',
  'registry.code': 'Mã',
  'registry.name': 'Tên',
  'registry.kind': 'Loại',
  'registry.status': 'Trạng thái',
  'registry.area': 'Diện tích (ha)',
  'registry.target': 'Mục tiêu (ha)',
  'registry.commune': 'Xã',
  'registry.households': 'Số hộ',
  'registry.registration': 'Số đăng ký',
  'registry.active': 'Đang hoạt động',
  'registry.inactive': 'Ngừng hoạt động',
  'registry.page': 'Trang {page}/{pages} · {total} bản ghi',
  'registry.prev': '‹ Trước',
  'registry.next': 'Sau ›',
  'kind.organic': 'Hữu cơ',
  'kind.high_tech': 'Công nghệ cao',
  'kind.vietgap': 'VietGAP',
  'unit.ha': 'ha',
  'unit.sao': 'sào',
  'common.loading': 'Đang tải…',
  'common.error': 'Có lỗi: {message}',
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.tagline': 'Organic production zones and traceability',
  'nav.map': 'Map',
  'nav.registry': 'Registry',
  'nav.api': 'API docs',
  'nav.households': 'Households',
  'nav.users': 'Accounts',
  'nav.audit': 'Audit trail',
  'nav.logout': 'Log out',
  'login.title': 'Log in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.offline': 'The server cannot be reached.',
  'login.demoAccounts': 'Demo accounts (password huuco-demo):',
  'error.INVALID_CREDENTIALS': 'Wrong username or password.',
  'error.ACCOUNT_LOCKED': 'Account locked after too many failed attempts. Try again later.',
  'error.TOO_MANY_REQUESTS': 'Too many attempts. Wait a minute.',
  'error.VALIDATION_FAILED': 'Please fill in every field.',
  'role.district_admin': 'District administrator',
  'role.district_staff': 'District staff',
  'role.coop_manager': 'Cooperative manager',
  'role.coop_member': 'Cooperative member',
  'role.inspector': 'Inspector',
  'role.buyer': 'Buyer',
  'households.head': 'Head of household',
  'households.idNumber': 'ID number',
  'households.phone': 'Phone',
  'households.village': 'Village',
  'households.joined': 'Joined',
  'households.plots': 'Plots',
  'users.username': 'Username',
  'users.name': 'Display name',
  'users.role': 'Role',
  'users.active': 'Active',
  'users.disabled': 'Disabled',
  'users.locked': 'Locked',
  'audit.at': 'When',
  'audit.actor': 'Who',
  'audit.action': 'Action',
  'audit.entity': 'Record',
  'demo.banner': 'Demo data — not real figures.',
  'language.switch': 'Tiếng Việt',
  'status.certified': 'Certified',
  'status.in_conversion': 'In conversion',
  'status.suspended': 'Suspended',
  'status.not_organic': 'Not organic',
  'zoneStatus.planned': 'Planned',
  'zoneStatus.in_conversion': 'In conversion',
  'zoneStatus.certified': 'Certified',
  'zoneStatus.suspended': 'Suspended',
  'map.zoomIn': 'Zoom in to see each plot.',
  'map.loading': 'Loading plots…',
  'map.plotsShown': '{n} plots in view',
  'map.truncated': 'Showing the first {n} plots only; zoom in to see all.',
  'map.legend': 'Legend',
  'map.error': 'The map data could not be loaded.',
  'panel.plot': 'Plot',
  'panel.zone': 'Production zone',
  'panel.area': 'Area',
  'panel.declaredArea': 'Declared area',
  'panel.status': 'Organic status',
  'panel.farmingSystem': 'Farming system',
  'panel.conversionStart': 'Conversion started',
  'panel.flags': 'To check',
  'panel.close': 'Close',
  'panel.targetArea': 'Target area',
  'panel.communes': 'Communes',
  'panel.products': 'Products',
  'flag.LARGE_PLOT': 'Plot larger than 1 ha',
  'flag.AREA_MISMATCH': 'Declared area more than 20 % off',
  'reason.NO_ZONE': 'The plot is in no zone.',
  'reason.ZONE_NOT_ORGANIC': 'The zone is not an organic zone.',
  'reason.ZONE_SUSPENDED': 'The zone is suspended.',
  'reason.OPEN_MAJOR_NON_COMPLIANCE': 'A major non-compliance is still open.',
  'reason.NO_CONVERSION_START': 'No conversion start is recorded.',
  'reason.CONVERSION_NOT_STARTED': 'Conversion has not started yet.',
  'reason.CONVERSION_PERIOD': 'In conversion until {date}.',
  'reason.CERTIFICATE_VALID': 'Certificate {number} is valid until {date}.',
  'reason.CERTIFICATE_EXPIRED': 'Certificate {number} expired on {date}.',
  'reason.NO_VALID_CERTIFICATE': 'Conversion is over but no valid certificate covers the plot.',
  'farming.organic_rice': 'Organic rice',
  'farming.rice_ruoi_cay': 'Rice – ragworm – crab',
  'farming.crab_pond': 'Crab pond',
  'farming.shrimp_pond': 'Shrimp pond',
  'farming.seafood': 'Seafood',
  'farming.vegetables': 'Vegetables',
  'farming.other': 'Other',
  'registry.zones': 'Production zones',
  'registry.cooperatives': 'Cooperatives',
  'registry.code': 'Code',
  'registry.name': 'Name',
  'registry.kind': 'Kind',
  'registry.status': 'Status',
  'registry.area': 'Area (ha)',
  'registry.target': 'Target (ha)',
  'registry.commune': 'Commune',
  'registry.households': 'Households',
  'registry.registration': 'Registration no.',
  'registry.active': 'Active',
  'registry.inactive': 'Inactive',
  'registry.page': 'Page {page}/{pages} · {total} records',
  'registry.prev': '‹ Previous',
  'registry.next': 'Next ›',
  'kind.organic': 'Organic',
  'kind.high_tech': 'High-tech',
  'kind.vietgap': 'VietGAP',
  'unit.ha': 'ha',
  'unit.sao': 'sào',
  'common.loading': 'Loading…',
  'common.error': 'Error: {message}',
};

export type Language = 'vi' | 'en';
const dictionaries: Record<Language, Record<Key, string>> = { vi, en };

export type Translate = (key: Key | string, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  return localStorage.getItem('huuco.language') === 'en' ? 'en' : 'vi';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = (next: Language) => {
    localStorage.setItem('huuco.language', next);
    document.documentElement.lang = next;
    setLanguageState(next);
  };
  const t: Translate = (key, values = {}) => {
    const template = dictionaries[language][key as Key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };
  return (
    <I18nContext.Provider
      value={{ language, setLanguage, t, locale: language === 'vi' ? 'vi-VN' : 'en-GB' }}
    >
      {children}
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
