package route53profiles

import "time"

// ProfileAssociation is an association between a Route 53 Profile and a VPC.
type ProfileAssociation struct {
	// CreationTime is when the association was created (UTC).
	CreationTime time.Time
	// ModificationTime is when the association was last changed (UTC).
	ModificationTime time.Time
	// ID is the association's ID.
	ID string
	// Name is the association's name.
	Name string
	// OwnerID is the ID of the AWS account that created the association.
	OwnerID string
	// ProfileID is the ID of the Profile.
	ProfileID string
	// ResourceID is the ID of the VPC.
	ResourceID string
	// Status is the association's state; after DisassociateProfile it is
	// usually ProfileStatusDeleting.
	Status ProfileStatus
	// StatusMessage explains Status.
	StatusMessage string
}

// ProfileStatus is the state of a Profile association. The service may add
// values; unknown ones are kept as sent.
type ProfileStatus string

// The documented ProfileStatus values.
const (
	ProfileStatusComplete ProfileStatus = "COMPLETE"
	ProfileStatusDeleting ProfileStatus = "DELETING"
	ProfileStatusUpdating ProfileStatus = "UPDATING"
	ProfileStatusCreating ProfileStatus = "CREATING"
	ProfileStatusDeleted  ProfileStatus = "DELETED"
	ProfileStatusFailed   ProfileStatus = "FAILED"
)
