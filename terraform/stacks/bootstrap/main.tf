module "state_backend" {
  source = "../../modules/state-backend"

  bucket_name                        = var.state_bucket_name
  lock_table_name                    = var.lock_table_name
  kms_key_alias                      = var.kms_key_alias
  kms_deletion_window_in_days        = var.kms_deletion_window_in_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  lock_table_deletion_protection     = var.lock_table_deletion_protection
  enforce_kms_encrypted_uploads      = var.enforce_kms_encrypted_uploads
  deny_insecure_transport            = var.deny_insecure_transport

  # A versioned bucket holding state must be emptied explicitly by the caller
  # before destroy; never let Terraform silently delete state history.
  force_destroy = false
}
