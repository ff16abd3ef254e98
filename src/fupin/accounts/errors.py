"""Error codes of accounts: users, logins, tokens."""

from __future__ import annotations

from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated, define

LOGIN_FAILED = define("accounts.login_failed", Unauthenticated, "用户名或密码错误;连续多次失败后账号会被临时锁定,请稍后再试或请管理员解锁", "Wrong username or password; after repeated failures the account is locked for a while")
USERNAME_FORMAT = define("accounts.username_format", Invalid, "用户名应为3-64位字母、数字、下划线、点或连字符", "A username is 3-64 letters, digits, _ . or -")
USERNAME_TAKEN = define("accounts.username_taken", Conflict, "用户名“{username}”已被使用", "The username {username} is taken")
PASSWORD_TOO_SHORT = define("accounts.password_too_short", Invalid, "密码至少{length}位", "A password has at least {length} characters")
PASSWORD_TOO_WEAK = define("accounts.password_too_weak", Invalid, "密码太容易被猜到({reason}),请换一个更长、不常见的密码", "The password is too easy to guess ({reason}); choose a longer, uncommon one")
PASSWORD_HAS_USERNAME = define("accounts.password_has_username", Invalid, "密码除去用户名后太简单,请换一个更长、不常见的密码", "Without the username the password is too simple; choose a longer, uncommon one")
UNKNOWN_ROLE = define("accounts.unknown_role", Invalid, "未知角色:{role}", "Unknown role {role}")
ROLE_NEEDS_AREA = define("accounts.role_needs_area", Invalid, "角色“{role}”必须指定所辖区划", "The role {role} needs an area")
ROLE_AREA_LEVEL = define("accounts.role_area_level", Invalid, "角色“{role}”不能管辖这一级区划", "The role {role} cannot be given an area of this level")
UNKNOWN_AREA = define("accounts.unknown_area", Invalid, "区划{code}不存在或不在您的管辖范围内", "The area {code} does not exist or is outside your area")
NATIONWIDE_USER = define("accounts.nationwide_user", Forbidden, "不能创建全国范围的用户", "You cannot create a nationwide user")
ADMIN_BY_ADMIN = define("accounts.admin_by_admin", Forbidden, "只有系统管理员可以创建或修改管理员", "Only an administrator creates or changes administrators")
CLERK_NEEDS_UNIT = define("accounts.clerk_needs_unit", Invalid, "“{role}”必须指定所属{unit}", "A {role} needs its {unit}")
USER_NOT_FOUND = define("accounts.user_not_found", NotFound, "未找到用户:{key}", "No user {key}")
TOKEN_NOT_FOUND = define("accounts.token_not_found", NotFound, "未找到令牌:{key}", "No token {key}")
NOT_YOURSELF = define("accounts.not_yourself", Invalid, "不能停用自己的账号", "You cannot disable yourself")
CURRENT_PASSWORD_WRONG = define("accounts.current_password_wrong", Invalid, "当前密码不正确", "The current password is wrong")
