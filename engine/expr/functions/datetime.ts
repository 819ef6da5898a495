// Date and time functions (placeholder: the date/time family registers its functions here).
export {};
