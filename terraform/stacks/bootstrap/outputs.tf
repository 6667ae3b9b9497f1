output "state_bucket_name" {
  description = "Name of the S3 state bucket (backend \"bucket\")."
  value       = module.state_backend.bucket_name
}

output "state_bucket_arn" {
  description = "ARN of the S3 state bucket."
  value       = module.state_backend.bucket_arn
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table (backend \"dynamodb_table\")."
  value       = module.state_backend.lock_table_name
}

output "lock_table_arn" {
  description = "ARN of the DynamoDB lock table."
  value       = module.state_backend.lock_table_arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (backend \"kms_key_id\")."
  value       = module.state_backend.kms_key_arn
}

output "kms_key_id" {
  description = "ID of the customer-managed KMS key."
  value       = module.state_backend.kms_key_id
}

output "kms_alias_arn" {
  description = "ARN of the KMS key alias."
  value       = module.state_backend.kms_alias_arn
}

output "kms_alias_name" {
  description = "Name of the KMS key alias, including the \"alias/\" prefix."
  value       = module.state_backend.kms_alias_name
}
