-- A person's career as their newest capture lists it: positions, education and skills, as JSON
-- ({"positions": [...], "education": [...], "skills": [...]}); NULL until a page shows any.
ALTER TABLE contacts ADD COLUMN career TEXT;
