package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a signed-in person may do. Each role includes the ones before it.
type Role string

const (
	RoleReader      Role = "reader"
	RoleFactChecker Role = "factchecker"
	RoleEditor      Role = "editor"
	RoleAdmin       Role = "admin"
)

// Roles lists every role from least to most privileged.
func Roles() []Role { return []Role{RoleReader, RoleFactChecker, RoleEditor, RoleAdmin} }

func (r Role) rank() int {
	switch r {
	case RoleReader:
		return 1
	case RoleFactChecker:
		return 2
	case RoleEditor:
		return 3
	case RoleAdmin:
		return 4
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleFactChecker:
		return "Fact-checker"
	case RoleEditor:
		return "Editor"
	case RoleAdmin:
		return "Admin"
	case RoleReader:
		return "Reader"
	}
	return string(r)
}

// ParseRole accepts a role name, with "fact-checker" as a spelling of factchecker.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", ""))
	if !r.Valid() {
		return "", fmt.Errorf("unknown role %q (want reader, fact-checker, editor or admin)", s)
	}
	return r, nil
}

// User is an account.
type User struct {
	ID           uint
	Email        string
	Name         string
	PasswordHash string
	Role         Role
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Has reports whether the user holds at least the given role. A nil or disabled
// user holds none.
func (u *User) Has(r Role) bool {
	// An unknown role (a typo in a check) grants nothing.
	return u != nil && u.DisabledAt == nil && r.Valid() && u.Role.rank() >= r.rank()
}

// Disabled reports whether the account has been switched off.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// NewUser is the input for creating an account.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     Role
}

const maxNameLength = 120

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (n *NewUser) validate() error {
	v := ValidationErrors{}
	n.Email = normaliseEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if addr, err := mail.ParseAddress(n.Email); err != nil || addr.Address != n.Email || len(n.Email) > 254 {
		v.Add("email", "Enter an email address like name@example.org.")
	}
	switch {
	case n.Name == "":
		v.Add("name", "Enter a name.")
	case len([]rune(n.Name)) > maxNameLength:
		v.Add("name", fmt.Sprintf("Use at most %d characters.", maxNameLength))
	}
	if msg := ValidatePassword(n.Password); msg != "" {
		v.Add("password", msg)
	}
	if !n.Role.Valid() {
		v.Add("role", "Choose a role.")
	}
	return v.Err()
}

// CreateUser adds an account. actor may be nil (the command line, the demo loader).
func (s *Store) CreateUser(ctx context.Context, actor *User, in NewUser) (*User, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	u := &User{Email: in.Email, Name: in.Name, PasswordHash: hash, Role: in.Role, CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
					Fields: map[string]string{"email": "An account with this email already exists."}}
			}
			return fmt.Errorf("insert user: %w", err)
		}
		return audit(tx, actor, "user.create", "user", u.ID, "", string(u.Role), now)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Authenticate returns the account for an email and password. Wrong email, wrong
// password and disabled account all give the same EAuth error text, so the form
// does not reveal which accounts exist.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	fail := Errorf(EAuth, "That email and password do not match an active account.")
	if len(password) > MaxPasswordLength {
		return nil, fail
	}
	var u User
	err := s.reader(ctx).Where("email = ?", normaliseEmail(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Hash anyway so a missing account takes as long as a wrong password.
		CheckPassword(dummyHash, password)
		return nil, fail
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled() {
		return nil, fail
	}
	return &u, nil
}

// dummyHash is a valid argon2id hash of a random string nobody knows.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$Jz8ZOvJb4b0pVqYpZ3L0E5ByPzQm9Q2r1n6bqgkq3iU"

// UserByID loads one account.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	err := s.reader(ctx).Take(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no account number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	return &u, nil
}

// UserByEmail loads one account by its email address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.reader(ctx).Where("email = ?", normaliseEmail(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no account for %s.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %s: %w", email, err)
	}
	return &u, nil
}

// ListUsers returns every account, staff first, then by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	err := s.reader(ctx).
		Order("CASE role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 WHEN 'factchecker' THEN 2 ELSE 3 END, name, id").
		Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// SetRole changes an account's role and signs it out everywhere, so the new
// permissions apply from the next request. Admins cannot demote themselves, so
// the site always keeps at least the admin making the change.
func (s *Store) SetRole(ctx context.Context, actor *User, userID uint, role Role) error {
	if !role.Valid() {
		return Errorf(EInvalid, "Choose one of the listed roles.")
	}
	if actor != nil && actor.ID == userID && role != RoleAdmin {
		return Errorf(EForbidden, "You cannot remove your own admin role; ask another admin.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no account number %d.", userID)
			}
			return err
		}
		if u.Role == role {
			return nil
		}
		previous := u.Role // Updates writes the new values back into u
		now := s.nowUTC()
		if err := tx.Model(&u).Updates(map[string]any{"role": role, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return audit(tx, actor, "user.role", "user", userID, string(previous), string(role), now)
	})
}

// SetDisabled switches an account off (ending its sessions) or back on.
func (s *Store) SetDisabled(ctx context.Context, actor *User, userID uint, disabled bool) error {
	if actor != nil && actor.ID == userID && disabled {
		return Errorf(EForbidden, "You cannot disable your own account.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no account number %d.", userID)
			}
			return err
		}
		if u.Disabled() == disabled {
			return nil
		}
		now := s.nowUTC()
		var at *time.Time
		action, before, after := "user.enable", "disabled", "active"
		if disabled {
			at = &now
			action, before, after = "user.disable", "active", "disabled"
		}
		if err := tx.Model(&u).Updates(map[string]any{"disabled_at": at, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("update account: %w", err)
		}
		if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return audit(tx, actor, action, "user", userID, before, after, now)
	})
}

// SetPassword replaces an account's password and ends all its sessions.
func (s *Store) SetPassword(ctx context.Context, actor *User, userID uint, password string) error {
	if msg := ValidatePassword(password); msg != "" {
		return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"password": msg}}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		res := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": hash, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("update password: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(ENotFound, "There is no account number %d.", userID)
		}
		if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return audit(tx, actor, "user.password", "user", userID, "", "", now)
	})
}
