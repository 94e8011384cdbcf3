variable "endpoint" {
  description = "URL of the local cloud (every AWS service answers there)."
  type        = string
}

variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
  default     = "fidelity"
}

variable "items_zip" {
  description = "Path of the items Lambda deployment package."
  type        = string
}

variable "steps_zip" {
  description = "Path of the steps Lambda deployment package."
  type        = string
}

variable "site_dir" {
  description = "Folder holding index.html and app.js for the website bucket."
  type        = string
}
