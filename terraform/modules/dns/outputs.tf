output "zone_id" {
  description = "ID of the public hosted zone (created or existing)."
  value       = local.zone_id
}

output "zone_arn" {
  description = "ARN of the public hosted zone."
  value       = local.zone_arn
}

output "zone_name" {
  description = "Name of the hosted zone (= domain_name, no trailing dot)."
  value       = var.domain_name
}

output "name_servers" {
  description = "Name servers of the hosted zone; delegate domain_name to these from the parent domain when the zone is created here."
  value       = local.zone_name_servers
}

output "host_name" {
  description = "Host name the certificate is issued for."
  value       = var.host_name
}

output "certificate_arn" {
  description = "ARN of the certificate, taken from the validation resource so consumers wait until it is issued."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "certificate_domains" {
  description = "All names on the certificate: host_name first, then \"*.<host_name>\" and the extra SANs."
  value       = local.certificate_domains
}
