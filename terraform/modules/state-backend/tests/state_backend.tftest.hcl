mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:root"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      key_id = "11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::shopfront-tfstate-123456789012"
      id  = "shopfront-tfstate-123456789012"
    }
  }
}

variables {
  bucket_name     = "shopfront-tfstate-123456789012"
  lock_table_name = "shopfront-tflock"
  kms_key_alias   = "shopfront-tfstate"
}

run "defaults_are_secure" {
  command = apply

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "State bucket versioning must be Enabled."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "Default encryption must be SSE-KMS (aws:kms)."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.this.arn
    error_message = "Default encryption must use the module's customer-managed key."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled == true
    error_message = "S3 bucket keys must be enabled."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true
    error_message = "KMS key rotation must be enabled."
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 7
    error_message = "Default KMS deletion window must be 7 days."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/shopfront-tfstate" && aws_kms_alias.this.target_key_id == aws_kms_key.this.key_id
    error_message = "KMS alias must be alias/<kms_key_alias> and target the CMK."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access block settings must be true."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "Object ownership must be BucketOwnerEnforced (ACLs disabled)."
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "force_destroy must default to false."
  }

  assert {
    condition = length([
      for s in jsondecode(aws_s3_bucket_policy.this[0].policy).Statement : s
      if s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" &&
      s.Condition.Bool["aws:SecureTransport"] == "false" &&
      contains(s.Resource, aws_s3_bucket.this.arn) && contains(s.Resource, "${aws_s3_bucket.this.arn}/*")
    ]) == 1
    error_message = "Bucket policy must deny all non-TLS requests to the bucket and its objects."
  }

  assert {
    condition     = length(jsondecode(aws_s3_bucket_policy.this[0].policy).Statement) == 1
    error_message = "Only the TLS deny statement is expected by default."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days == 90
    error_message = "Noncurrent versions must expire after 90 days by default."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 7
    error_message = "Incomplete multipart uploads must be aborted."
  }

  assert {
    condition     = aws_dynamodb_table.lock.billing_mode == "PAY_PER_REQUEST"
    error_message = "Lock table must be PAY_PER_REQUEST."
  }

  assert {
    condition     = aws_dynamodb_table.lock.hash_key == "LockID" && one(aws_dynamodb_table.lock.attribute).name == "LockID" && one(aws_dynamodb_table.lock.attribute).type == "S"
    error_message = "Lock table hash key must be the string attribute LockID."
  }

  assert {
    condition     = aws_dynamodb_table.lock.point_in_time_recovery[0].enabled == true
    error_message = "Lock table must have point-in-time recovery enabled."
  }

  assert {
    condition     = aws_dynamodb_table.lock.server_side_encryption[0].enabled && aws_dynamodb_table.lock.server_side_encryption[0].kms_key_arn == aws_kms_key.this.arn
    error_message = "Lock table must be encrypted with the same CMK."
  }

  assert {
    condition     = aws_dynamodb_table.lock.deletion_protection_enabled == false
    error_message = "Lock table deletion protection must default to false."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      s.Effect == "Allow" && s.Principal.AWS == "arn:aws:iam::123456789012:root" && s.Action == "kms:*"
    ])
    error_message = "KMS key policy must let the account root administer the key."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement : s.Principal != "*" && try(s.Principal.AWS != "*", true)
    ])
    error_message = "KMS key policy must not use a wildcard principal."
  }

  assert {
    condition     = output.kms_alias_name == "alias/shopfront-tfstate" && output.lock_table_name == "shopfront-tflock"
    error_message = "Outputs must expose the alias and lock table names."
  }
}

run "custom_settings" {
  command = apply

  variables {
    noncurrent_version_expiration_days = 30
    kms_deletion_window_in_days        = 30
    enforce_kms_encrypted_uploads      = true
    lock_table_deletion_protection     = true
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "noncurrent_version_expiration_days must drive the lifecycle rule."
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "kms_deletion_window_in_days must drive the key."
  }

  assert {
    condition = length([
      for s in jsondecode(aws_s3_bucket_policy.this[0].policy).Statement : s
      if s.Effect == "Deny" && s.Action == "s3:PutObject" && try(s.Condition.StringNotEquals["s3:x-amz-server-side-encryption"], "") == "aws:kms"
    ]) == 1
    error_message = "enforce_kms_encrypted_uploads must add the non-KMS upload deny statement."
  }

  assert {
    condition     = length(jsondecode(aws_s3_bucket_policy.this[0].policy).Statement) == 2
    error_message = "The TLS deny statement must stay alongside the KMS upload deny statement."
  }

  assert {
    condition     = aws_dynamodb_table.lock.deletion_protection_enabled == true
    error_message = "lock_table_deletion_protection must drive deletion protection."
  }
}

run "emulator_without_tls_deny" {
  command = plan

  variables {
    deny_insecure_transport = false
  }

  assert {
    condition     = length(aws_s3_bucket_policy.this) == 0
    error_message = "Without any deny statement no (empty) bucket policy may be created."
  }
}

run "rejects_uppercase_bucket_name" {
  command = plan
  variables {
    bucket_name = "Shopfront-TFState"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_too_short_bucket_name" {
  command = plan
  variables {
    bucket_name = "ab"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_ip_address_bucket_name" {
  command = plan
  variables {
    bucket_name = "192.168.10.1"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_consecutive_dots_bucket_name" {
  command = plan
  variables {
    bucket_name = "shopfront..state"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_underscore_bucket_name" {
  command = plan
  variables {
    bucket_name = "shopfront_state"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_alias_with_prefix" {
  command = plan
  variables {
    kms_key_alias = "alias/shopfront-tfstate"
  }
  expect_failures = [var.kms_key_alias]
}

run "rejects_deletion_window_out_of_range" {
  command = plan
  variables {
    kms_deletion_window_in_days = 31
  }
  expect_failures = [var.kms_deletion_window_in_days]
}
