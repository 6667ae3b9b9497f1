output "zone_id" {
  description = "ID of the public hosted zone (created or existing)."
  value       = module.dns.zone_id
}

output "zone_arn" {
  description = "ARN of the public hosted zone."
  value       = module.dns.zone_arn
}

output "zone_name" {
  description = "Name of the hosted zone (= domain_name)."
  value       = module.dns.zone_name
}

output "name_servers" {
  description = "Name servers of the zone; delegate domain_name to them from the parent domain when create_zone = true."
  value       = module.dns.name_servers
}

output "host_name" {
  description = "Host name the certificate is issued for (\"<environment>.<domain_name>\" by default)."
  value       = module.dns.host_name
}

output "certificate_arn" {
  description = "ARN of the issued ACM certificate for host_name and *.host_name (available once validation completes)."
  value       = module.dns.certificate_arn
}
