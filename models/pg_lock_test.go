package models

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"newsgloss/models/testdb"
)

// TestPostgresWriteLockIsPerSchema checks the advisory lock that serialises
// write transactions on PostgreSQL: a second store on the same schema (as a
// second instance) waits while the first holds it, and a store on another
// schema of the same database does not.
func TestPostgresWriteLockIsPerSchema(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("PostgreSQL's write lock; SQLite's single writer is tested in concurrency_test.go. This runs in the PostgreSQL pass")
	}
	target := testdb.Target(t)
	first := openTestStore(t, target, Options{})
	sameSchema := openTestStore(t, target, Options{})
	otherSchema := openTestStore(t, testdb.Target(t), Options{})

	holding, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- first.inTx(t.Context(), func(tx *gorm.DB) error {
			close(holding)
			<-release
			return tx.Exec("INSERT INTO settings (key, value) VALUES ('first', 'x')").Error
		})
	}()
	<-holding

	// Another schema writes while the lock is held.
	bounded, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := otherSchema.inTx(bounded, func(tx *gorm.DB) error { return putSetting(tx, "other", "y") }); err != nil {
		t.Fatalf("a write in another schema: %v", err)
	}

	// The same schema waits for the holder.
	second := make(chan error, 1)
	go func() {
		second <- sameSchema.inTx(t.Context(), func(tx *gorm.DB) error { return putSetting(tx, "second", "z") })
	}()
	select {
	case err := <-second:
		t.Fatalf("a write in the same schema went through while the lock was held (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatalf("the waiting write: %v", err)
	}
	for _, key := range []string{"first", "second"} {
		if _, ok, err := first.Setting(t.Context(), key); err != nil || !ok {
			t.Errorf("setting %s: %v %v", key, ok, err)
		}
	}
}
