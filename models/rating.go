package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RatingLabel is one step of the site's rating scale. The scale is data that
// admins edit; a label some verdict uses can be retired but never deleted, so
// every published rating keeps its meaning.
type RatingLabel struct {
	ID         uint
	Position   int
	Name       string
	Colour     string // "#rrggbb"
	Definition string
	Value      *int // optional numeric rating; nil keeps the label outside the numbers
	RetiredAt  *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  gorm.DeletedAt // deleted labels are kept and can be restored
}

// Retired reports whether new verdicts may no longer use the label.
func (l RatingLabel) Retired() bool { return l.RetiredAt != nil }

// pageBackground is the colour rating swatches sit on; a label's colour must
// stand out from it (WCAG's 3:1 for graphics).
const pageBackground = "#fdfcf9"

// RatingScale is the ordered list of labels with the numeric bounds that
// ClaimReview's bestRating and worstRating report.
type RatingScale struct {
	Labels      []RatingLabel
	Best, Worst *int // nil when no label has a value
}

// Active lists the labels new verdicts may use.
func (sc RatingScale) Active() []RatingLabel {
	var out []RatingLabel
	for _, l := range sc.Labels {
		if !l.Retired() {
			out = append(out, l)
		}
	}
	return out
}

// Label finds a label by id.
func (sc RatingScale) Label(id uint) (RatingLabel, bool) {
	for _, l := range sc.Labels {
		if l.ID == id {
			return l, true
		}
	}
	return RatingLabel{}, false
}

// RatingScale loads every label, retired ones included, in scale order.
func (s *Store) RatingScale(ctx context.Context) (RatingScale, error) {
	return loadScale(s.reader(ctx))
}

func loadScale(db *gorm.DB) (RatingScale, error) {
	var sc RatingScale
	if err := db.Order("position, id").Find(&sc.Labels).Error; err != nil {
		return sc, fmt.Errorf("load rating scale: %w", err)
	}
	for _, l := range sc.Labels {
		if l.Value == nil {
			continue
		}
		if sc.Best == nil || *l.Value > *sc.Best {
			sc.Best = l.Value
		}
		if sc.Worst == nil || *l.Value < *sc.Worst {
			sc.Worst = l.Value
		}
	}
	return sc, nil
}

// RatingLabelInput is the admin form for a label. Value is text so that an
// empty field means "no number".
type RatingLabelInput struct {
	Name       string
	Colour     string
	Definition string
	Value      string
	Position   string
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

type ratingValues struct {
	name, colour, definition string
	value                    *int
	position                 int
}

func validateRatingLabel(in RatingLabelInput) (ratingValues, error) {
	v := ratingValues{
		name:       strings.Join(strings.Fields(in.Name), " "),
		colour:     strings.ToLower(strings.TrimSpace(in.Colour)),
		definition: strings.TrimSpace(in.Definition),
	}
	errs := ValidationErrors{}
	switch n := len([]rune(v.name)); {
	case n == 0:
		errs.Add("name", "Give the label a name, e.g. \"Mostly false\".")
	case n > 40:
		errs.Add("name", "Keep the name under 40 characters: it appears on badges.")
	}
	if !hexColour.MatchString(v.colour) {
		errs.Add("colour", "Give the colour as # and six hexadecimal digits, e.g. #9b1c1c.")
	} else if r := contrastRatio(v.colour, pageBackground); r < 3 {
		errs.Add("colour", fmt.Sprintf("That colour is too pale to see on the page (contrast %.1f:1; it needs at least 3:1). Choose a darker one.", r))
	}
	switch n := len([]rune(v.definition)); {
	case n == 0:
		errs.Add("definition", "Write what the label means: readers see it beside every rating.")
	case n > 1000:
		errs.Add("definition", "Keep the definition under 1,000 characters.")
	}
	if raw := strings.TrimSpace(in.Value); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < -1000 || n > 1000 {
			errs.Add("value", "The numeric value is a whole number between -1000 and 1000, or empty.")
		} else {
			v.value = &n
		}
	}
	if raw := strings.TrimSpace(in.Position); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1000 {
			errs.Add("position", "The position is a whole number from 1 (first) upwards.")
		} else {
			v.position = n
		}
	}
	return v, errs.Err()
}

// CreateRatingLabel adds a label at the given position, or at the end.
func (s *Store) CreateRatingLabel(ctx context.Context, actor *User, in RatingLabelInput) (*RatingLabel, error) {
	if !actor.Has(RoleAdmin) {
		return nil, Errorf(EForbidden, "Only admins edit the rating scale.")
	}
	v, err := validateRatingLabel(in)
	if err != nil {
		return nil, err
	}
	var l RatingLabel
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := nameTaken(tx, v.name, 0); err != nil {
			return err
		}
		if v.position == 0 {
			if err := tx.Model(&RatingLabel{}).Select("COALESCE(MAX(position), 0) + 1").Scan(&v.position).Error; err != nil {
				return fmt.Errorf("find last position: %w", err)
			}
		}
		now := s.nowUTC()
		l = RatingLabel{Position: v.position, Name: v.name, Colour: v.colour, Definition: v.definition, Value: v.value, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&l).Error; err != nil {
			return fmt.Errorf("create rating label: %w", err)
		}
		return audit(tx, actor, "rating.create", "rating_label", l.ID, "", l.describe(), now)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// UpdateRatingLabel changes a label's wording, colour, value or position. A
// label in use keeps its name's meaning through the audit log.
func (s *Store) UpdateRatingLabel(ctx context.Context, actor *User, id uint, in RatingLabelInput) error {
	if !actor.Has(RoleAdmin) {
		return Errorf(EForbidden, "Only admins edit the rating scale.")
	}
	v, err := validateRatingLabel(in)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		l, err := ratingLabel(tx, id)
		if err != nil {
			return err
		}
		if err := nameTaken(tx, v.name, id); err != nil {
			return err
		}
		before := l.describe()
		l.Name, l.Colour, l.Definition, l.Value = v.name, v.colour, v.definition, v.value
		if v.position != 0 {
			l.Position = v.position
		}
		if l.describe() == before {
			return nil
		}
		now := s.nowUTC()
		err = tx.Model(&RatingLabel{}).Where("id = ?", id).Updates(map[string]any{
			"name": l.Name, "colour": l.Colour, "definition": l.Definition, "value": l.Value,
			"position": l.Position, "updated_at": now,
		}).Error
		if err != nil {
			return fmt.Errorf("update rating label: %w", err)
		}
		return audit(tx, actor, "rating.update", "rating_label", id, before, l.describe(), now)
	})
}

// SetRatingLabelRetired retires a label (new verdicts can no longer use it) or brings it back.
func (s *Store) SetRatingLabelRetired(ctx context.Context, actor *User, id uint, retired bool) error {
	if !actor.Has(RoleAdmin) {
		return Errorf(EForbidden, "Only admins edit the rating scale.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		l, err := ratingLabel(tx, id)
		if err != nil {
			return err
		}
		if l.Retired() == retired {
			return nil
		}
		now := s.nowUTC()
		var at *time.Time
		action := "rating.restore"
		if retired {
			at, action = &now, "rating.retire"
		}
		if err := tx.Model(&RatingLabel{}).Where("id = ?", id).Updates(map[string]any{"retired_at": at, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("retire rating label: %w", err)
		}
		return audit(tx, actor, action, "rating_label", id, l.Name, l.Name, now)
	})
}

// DeleteRatingLabel removes a label no verdict has ever used from the scale;
// the row is kept so that RestoreRatingLabel can bring it back.
func (s *Store) DeleteRatingLabel(ctx context.Context, actor *User, id uint) error {
	if !actor.Has(RoleAdmin) {
		return Errorf(EForbidden, "Only admins edit the rating scale.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		l, err := ratingLabel(tx, id)
		if err != nil {
			return err
		}
		var uses int64
		err = tx.Raw(`SELECT (SELECT COUNT(*) FROM verdicts WHERE rating_label_id = ?) +
			(SELECT COUNT(*) FROM verdict_versions WHERE rating_label_id = ?)`, id, id).Scan(&uses).Error
		if err != nil {
			return fmt.Errorf("count label uses: %w", err)
		}
		if uses > 0 {
			return Errorf(EConflict, "%q is used by fact-checks, so it cannot be deleted: retire it instead, and it will no longer be offered for new verdicts.", l.Name)
		}
		if err := tx.Delete(&RatingLabel{}, id).Error; err != nil {
			return fmt.Errorf("delete rating label: %w", err)
		}
		return audit(tx, actor, "rating.delete", "rating_label", id, l.describe(), "", s.nowUTC())
	})
}

// DeletedRatingLabels lists the deleted labels, for restoring.
func (s *Store) DeletedRatingLabels(ctx context.Context) ([]RatingLabel, error) {
	var labels []RatingLabel
	err := s.reader(ctx).Unscoped().Where("deleted_at IS NOT NULL").Order("deleted_at DESC").Find(&labels).Error
	if err != nil {
		return nil, fmt.Errorf("list deleted rating labels: %w", err)
	}
	return labels, nil
}

// RestoreRatingLabel puts a deleted label back on the scale, unless another
// label has taken its name since.
func (s *Store) RestoreRatingLabel(ctx context.Context, actor *User, id uint) error {
	if !actor.Has(RoleAdmin) {
		return Errorf(EForbidden, "Only admins edit the rating scale.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var l RatingLabel
		err := tx.Unscoped().Where("deleted_at IS NOT NULL").Take(&l, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENotFound, "There is no deleted rating label number %d.", id)
		}
		if err != nil {
			return fmt.Errorf("load rating label %d: %w", id, err)
		}
		var n int64
		if err := tx.Model(&RatingLabel{}).Where("lower(name) = lower(?)", l.Name).Count(&n).Error; err != nil {
			return fmt.Errorf("check label name: %w", err)
		}
		if n > 0 {
			return Errorf(EConflict, "The scale already has a label called %q; rename that one first.", l.Name)
		}
		now := s.nowUTC()
		if err := tx.Unscoped().Model(&RatingLabel{}).Where("id = ?", id).Updates(map[string]any{"deleted_at": nil, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("restore rating label: %w", err)
		}
		return audit(tx, actor, "rating.restore_deleted", "rating_label", id, "", l.describe(), now)
	})
}

func ratingLabel(tx *gorm.DB, id uint) (RatingLabel, error) {
	var l RatingLabel
	err := tx.Take(&l, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return l, Errorf(ENotFound, "There is no rating label number %d.", id)
	}
	if err != nil {
		return l, fmt.Errorf("load rating label %d: %w", id, err)
	}
	return l, nil
}

func nameTaken(tx *gorm.DB, name string, except uint) error {
	var n int64
	if err := tx.Model(&RatingLabel{}).Where("lower(name) = lower(?) AND id <> ?", name, except).Count(&n).Error; err != nil {
		return fmt.Errorf("check label name: %w", err)
	}
	if n > 0 {
		return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{"name": fmt.Sprintf("The scale already has a label called %q.", name)}}
	}
	return nil
}

// describe is the label as the audit log records it.
func (l RatingLabel) describe() string {
	value := "no value"
	if l.Value != nil {
		value = "value " + strconv.Itoa(*l.Value)
	}
	return fmt.Sprintf("%d. %s (%s, %s): %s", l.Position, l.Name, l.Colour, value, l.Definition)
}

// contrastRatio is the WCAG contrast ratio of two "#rrggbb" colours.
func contrastRatio(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	if !hexColour.MatchString(hex) {
		return 0
	}
	channel := func(s string) float64 {
		n, _ := strconv.ParseUint(s, 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(hex[1:3]) + 0.7152*channel(hex[3:5]) + 0.0722*channel(hex[5:7])
}
