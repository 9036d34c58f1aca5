package models

import (
	"context"
	"net/url"
	"strings"

	"gorm.io/gorm"
)

// SiteSettings are the site-wide values admins edit.
type SiteSettings struct {
	// The organisation named as the author of fact-checks in ClaimReview data.
	OrganisationName string
	OrganisationURL  string
}

const (
	settingOrgName = "site.organisation_name"
	settingOrgURL  = "site.organisation_url"
)

// SiteSettings reads the settings; an unset name falls back to fallbackName.
func (s *Store) SiteSettings(ctx context.Context, fallbackName string) (SiteSettings, error) {
	db := s.reader(ctx)
	name, _, err := getSetting(db, settingOrgName)
	if err != nil {
		return SiteSettings{}, err
	}
	u, _, err := getSetting(db, settingOrgURL)
	if err != nil {
		return SiteSettings{}, err
	}
	if name == "" {
		name = fallbackName
	}
	return SiteSettings{OrganisationName: name, OrganisationURL: u}, nil
}

// SaveSiteSettings checks and stores the settings, recording the change.
func (s *Store) SaveSiteSettings(ctx context.Context, actor *User, in SiteSettings) error {
	if !actor.Has(RoleAdmin) {
		return Errorf(EForbidden, "Only admins change site settings.")
	}
	in.OrganisationName = strings.Join(strings.Fields(in.OrganisationName), " ")
	in.OrganisationURL = strings.TrimSpace(in.OrganisationURL)
	errs := ValidationErrors{}
	if n := len([]rune(in.OrganisationName)); n == 0 || n > 200 {
		errs.Add("organisation_name", "Give the organisation's name, at most 200 characters.")
	}
	if in.OrganisationURL != "" {
		if u, err := url.Parse(in.OrganisationURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.OrganisationURL) > 2000 {
			errs.Add("organisation_url", "Give a full web address starting with http:// or https://, or leave it empty.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		before, _, err := getSetting(tx, settingOrgName)
		if err != nil {
			return err
		}
		beforeURL, _, err := getSetting(tx, settingOrgURL)
		if err != nil {
			return err
		}
		if err := putSetting(tx, settingOrgName, in.OrganisationName); err != nil {
			return err
		}
		if err := putSetting(tx, settingOrgURL, in.OrganisationURL); err != nil {
			return err
		}
		return audit(tx, actor, "settings.organisation", "settings", 0, before+" "+beforeURL, in.OrganisationName+" "+in.OrganisationURL, s.nowUTC())
	})
}

// RatingLabelUses counts the verdicts and published versions using each label.
func (s *Store) RatingLabelUses(ctx context.Context) (map[uint]int64, error) {
	var rows []struct {
		ID   uint
		Uses int64
	}
	err := s.reader(ctx).Raw(`SELECT rating_labels.id,
		(SELECT COUNT(*) FROM verdicts WHERE rating_label_id = rating_labels.id) +
		(SELECT COUNT(*) FROM verdict_versions WHERE rating_label_id = rating_labels.id) AS uses
		FROM rating_labels`).Scan(&rows).Error
	out := map[uint]int64{}
	for _, r := range rows {
		out[r.ID] = r.Uses
	}
	return out, err
}
