package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// EntityKind says what an entity is.
type EntityKind string

const (
	EntityPerson       EntityKind = "person"
	EntityOrganisation EntityKind = "organisation"
	EntityPlace        EntityKind = "place"
)

// EntityKinds lists the kinds in the order forms offer them.
func EntityKinds() []EntityKind { return []EntityKind{EntityPerson, EntityOrganisation, EntityPlace} }

// Label is the kind's name for people.
func (k EntityKind) Label() string {
	switch k {
	case EntityPerson:
		return "Person"
	case EntityOrganisation:
		return "Organisation"
	case EntityPlace:
		return "Place"
	}
	return string(k)
}

func (k EntityKind) valid() bool {
	return k == EntityPerson || k == EntityOrganisation || k == EntityPlace
}

// Entity is a person, organisation or place that claims and events involve.
type Entity struct {
	ID          uint
	Kind        EntityKind
	Name        string
	Slug        string
	Description string
	Aliases     []EntityAlias `gorm:"foreignKey:EntityID"`
	Roles       []EntityRole  `gorm:"foreignKey:EntityID"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// EntityAlias is another spelling or script of an entity's name.
type EntityAlias struct {
	ID       uint
	EntityID uint
	Alias    string
	AliasKey string
}

// EntityRole is a position an entity held over a date range.
type EntityRole struct {
	ID        uint
	EntityID  uint
	Title     string
	StartsOn  string // ISO date text, its length its precision; "" = unknown
	EndsOn    string
	CreatedAt time.Time
}

// aliasKey is the form aliases are compared in: case-folded, spaces collapsed.
func aliasKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// EntityInput is what an editor submits for a new entity.
type EntityInput struct {
	Kind        string
	Name        string
	Aliases     []string
	Description string
}

const maxEntityName = 200

func validateEntity(in EntityInput) (EntityInput, error) {
	v := ValidationErrors{}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	if in.Name == "" {
		v.Add("name", "Enter the entity's name.")
	}
	checkLength(v, "name", in.Name, maxEntityName)
	checkLength(v, "description", in.Description, 2000)
	if !EntityKind(in.Kind).valid() {
		v.Add("kind", "Choose person, organisation or place.")
	}
	seen := map[string]bool{aliasKey(in.Name): true}
	var aliases []string
	for _, a := range in.Aliases {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" {
			continue
		}
		if !utf8.ValidString(a) || utf8.RuneCountInString(a) > maxEntityName {
			v.Add("aliases", fmt.Sprintf("Each alias must be valid text of at most %d characters.", maxEntityName))
			continue
		}
		if seen[aliasKey(a)] {
			v.Add("aliases", fmt.Sprintf("The alias %q is listed twice (or repeats the name).", a))
			continue
		}
		seen[aliasKey(a)] = true
		aliases = append(aliases, a)
	}
	in.Aliases = aliases
	return in, v.Err()
}

// CreateEntity adds an entity with its aliases. Editors only.
func (s *Store) CreateEntity(ctx context.Context, actor *User, in EntityInput) (*Entity, error) {
	if !actor.Has(RoleEditor) {
		return nil, Errorf(EForbidden, "Only editors add entities.")
	}
	in, err := validateEntity(in)
	if err != nil {
		return nil, err
	}
	var e *Entity
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		e, err = createEntity(tx, in, s.nowUTC())
		if err != nil {
			return err
		}
		return audit(tx, actor, "entity.create", "entity", e.ID, "", e.Name, s.nowUTC())
	})
	return e, err
}

func createEntity(tx *gorm.DB, in EntityInput, now time.Time) (*Entity, error) {
	slug, err := uniqueSlug(tx, "entities", Slugify(in.Name))
	if err != nil {
		return nil, err
	}
	e := &Entity{Kind: EntityKind(in.Kind), Name: in.Name, Slug: slug, Description: strings.TrimSpace(in.Description), CreatedAt: now, UpdatedAt: now}
	if err := tx.Omit("Aliases", "Roles").Create(e).Error; err != nil {
		return nil, fmt.Errorf("insert entity: %w", err)
	}
	// The name is an alias too, so matching finds it like the others.
	for _, a := range append([]string{in.Name}, in.Aliases...) {
		alias := EntityAlias{EntityID: e.ID, Alias: a, AliasKey: aliasKey(a)}
		if err := tx.Create(&alias).Error; err != nil {
			return nil, fmt.Errorf("insert alias: %w", err)
		}
		e.Aliases = append(e.Aliases, alias)
	}
	return e, nil
}

// uniqueSlug finds a free slug in a table by appending -2, -3…
func uniqueSlug(tx *gorm.DB, table, base string) (string, error) {
	if base == "" {
		base = "item"
	}
	slug := base
	for i := 2; ; i++ {
		var n int64
		if err := tx.Table(table).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
}

// findOrCreateEntity returns the entity one of whose aliases is name (any
// letter case), or creates one of the given kind. Empty name: nil.
func findOrCreateEntity(tx *gorm.DB, name string, kind EntityKind, now time.Time) (*Entity, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return nil, nil
	}
	var e Entity
	err := tx.Joins("JOIN entity_aliases ON entity_aliases.entity_id = entities.id").
		Where("entity_aliases.alias_key = ?", aliasKey(name)).Order("entities.id").Take(&e).Error
	if err == nil {
		return &e, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find entity %q: %w", name, err)
	}
	in, verr := validateEntity(EntityInput{Kind: string(kind), Name: name})
	if verr != nil {
		return nil, verr
	}
	return createEntity(tx, in, now)
}

// EntityBySlug loads an entity with its aliases and roles.
func (s *Store) EntityBySlug(ctx context.Context, slug string) (*Entity, error) {
	var e Entity
	err := s.reader(ctx).Preload("Aliases").Preload("Roles", func(db *gorm.DB) *gorm.DB { return db.Order("starts_on") }).
		Where("slug = ?", slug).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no entity at this address.")
	}
	if err != nil {
		return nil, fmt.Errorf("load entity %q: %w", slug, err)
	}
	return &e, nil
}

// ListEntities returns entities by name (for pickers and suggestions), with aliases.
func (s *Store) ListEntities(ctx context.Context, kind EntityKind, limit int) ([]Entity, error) {
	q := s.reader(ctx).Preload("Aliases").Order("name").Limit(limit)
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var list []Entity
	if err := q.Find(&list).Error; err != nil {
		return nil, fmt.Errorf("list entities: %w", err)
	}
	return list, nil
}

// AddEntityRole records a role an entity held. Dates are ISO text with their
// precision ("2023", "2023-05", "2023-05-02"); the end may be empty (current).
func (s *Store) AddEntityRole(ctx context.Context, actor *User, entityID uint, title, startsOn, endsOn string) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors edit entities.")
	}
	v := ValidationErrors{}
	title = strings.TrimSpace(title)
	if title == "" {
		v.Add("title", "Name the role, e.g. foreign minister.")
	}
	checkLength(v, "title", title, 200)
	start, errS := parseOptionalDate(startsOn)
	end, errE := parseOptionalDate(endsOn)
	if errS != nil {
		v.Add("starts_on", errS.Error())
	}
	if errE != nil {
		v.Add("ends_on", errE.Error())
	}
	if errS == nil && errE == nil && start != nil && end != nil && end.Time.Before(start.Time) {
		v.Add("ends_on", "The role cannot end before it starts.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		role := EntityRole{EntityID: entityID, Title: title, CreatedAt: s.nowUTC()}
		if start != nil {
			role.StartsOn = start.ISO()
		}
		if end != nil {
			role.EndsOn = end.ISO()
		}
		if err := tx.Create(&role).Error; err != nil {
			return fmt.Errorf("insert role: %w", err)
		}
		return audit(tx, actor, "entity.role", "entity", entityID, "", title, s.nowUTC())
	})
}

// AddEntityAlias records another spelling of an entity's name. An alias the
// entity already has (in any letter case) is refused.
func (s *Store) AddEntityAlias(ctx context.Context, actor *User, entityID uint, alias string) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors edit entities.")
	}
	alias = strings.Join(strings.Fields(alias), " ")
	v := ValidationErrors{}
	if alias == "" {
		v.Add("alias", "Type the other spelling.")
	}
	checkLength(v, "alias", alias, maxEntityName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&EntityAlias{}).Where("entity_id = ? AND alias_key = ?", entityID, aliasKey(alias)).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &Error{Code: EInvalid, Message: fmt.Sprintf("%q is already one of this entity's names.", alias),
				Fields: map[string]string{"alias": "Already an alias."}}
		}
		if err := tx.Create(&EntityAlias{EntityID: entityID, Alias: alias, AliasKey: aliasKey(alias)}).Error; err != nil {
			return fmt.Errorf("insert alias: %w", err)
		}
		return audit(tx, actor, "entity.alias", "entity", entityID, "", alias, s.nowUTC())
	})
}
